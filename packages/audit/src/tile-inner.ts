import { HASH_SIZE, nodeHash } from "./merkle-hash.js";
import { TILE_HEIGHT, TILE_WIDTH } from "./tile-store.js";

/** Hashes above a tile's bottom row: 128 of height 1, 64 of height 2, … 1 of height 8. */
export const INNER_HASHES = TILE_WIDTH - 1;

/** Where the node of `height` (1–8) and `index` (within the tile) sits in a tile's inner hashes. */
export function innerIndex(height: number, index: number): number {
  return TILE_WIDTH - ((2 * TILE_WIDTH) >> height) + index;
}

/**
 * Every node hash above a (possibly partial) tile row that the row completes, in the
 * layout of innerIndex; a node the row does not complete yet is left as zeros. Stored
 * beside the row, so a proof reads the hashes it needs instead of hashing up to 255 per tile.
 */
export function tileInnerHashes(row: Uint8Array): Uint8Array {
  const width = row.length / HASH_SIZE;
  const inner = new Uint8Array(INNER_HASHES * HASH_SIZE);
  let below = row;
  let belowStart = 0;
  for (let height = 1; height <= TILE_HEIGHT; height++) {
    const start = innerIndex(height, 0) * HASH_SIZE;
    for (let j = 0; j < width >> height; j++) {
      const left = belowStart + 2 * j * HASH_SIZE;
      inner.set(nodeHash(below.subarray(left, left + HASH_SIZE), below.subarray(left + HASH_SIZE, left + 2 * HASH_SIZE)), start + j * HASH_SIZE);
    }
    below = inner;
    belowStart = start;
  }
  return inner;
}

/** The root of a full tile: its one hash of height 8. */
export function innerRoot(inner: Uint8Array): Uint8Array {
  const at = innerIndex(TILE_HEIGHT, 0) * HASH_SIZE;
  return inner.subarray(at, at + HASH_SIZE);
}
