import { foldSubtrees, HASH_SIZE, perfectSubtreeRoot } from "./merkle-hash.js";
import { innerRoot, tileInnerHashes } from "./tile-inner.js";
import { TILE_HEIGHT, TILE_WIDTH, type Tile, type TileId, type TileStore } from "./tile-store.js";
import { assertTreeNumber } from "./tree-node.js";

/**
 * The right edge of a tiled tree: for each tile level, the bottom row of its last,
 * partial tile (0–255 hashes). That is all an appender needs, and the root is a fold of it.
 * Immutable: appending returns a new edge, so a failed transaction leaves the old one valid.
 */
export interface TileEdge {
  readonly size: number;
  /** rows[L] holds `(floor(size / 256^L) mod 256) · 32` bytes. */
  readonly rows: readonly Uint8Array[];
}

/** What appending produced: the new edge and every tile to upsert, in one transaction. */
export interface AppendResult {
  readonly edge: TileEdge;
  /** New full tiles and the grown partial tiles; each replaces its narrower version. */
  readonly tiles: readonly Tile[];
}

/** The edge of the empty tree. */
export const EMPTY_EDGE: TileEdge = { size: 0, rows: [] };

/** Hashes stored at tile level L for a tree of `size` leaves. */
function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Tiles whose last rows make up the edge of a tree of `size` leaves (partial tiles only). */
export function edgeTileIds(size: number): (TileId & { width: number })[] {
  assertTreeNumber(size, "tree size");
  const ids: (TileId & { width: number })[] = [];
  for (let level = 0; hashesAtLevel(size, level) > 0; level++) {
    const count = hashesAtLevel(size, level);
    const width = count % TILE_WIDTH;
    if (width > 0) ids.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return ids;
}

/** Loads the edge of a tree of `size` leaves from stored tiles, in one batch read. */
export async function loadTileEdge(store: TileStore, size: number): Promise<TileEdge> {
  const ids = edgeTileIds(size);
  const data = await store.readTiles(ids);
  const rows: Uint8Array[] = [];
  for (let level = 0; hashesAtLevel(size, level) > 0; level++) rows.push(new Uint8Array(0));
  ids.forEach((id, i) => {
    const row = data[i];
    if (row === undefined || row.length < id.width * HASH_SIZE) {
      throw new Error(`tile ${id.level}/${id.index} is missing or shorter than tree size ${size} needs`);
    }
    rows[id.level] = row.slice(0, id.width * HASH_SIZE);
  });
  return { size, rows };
}

/** Appends leaf hashes in order; returns the new edge and the tiles to store. */
export function appendLeaves(edge: TileEdge, leafHashes: readonly Uint8Array[]): AppendResult {
  const rows: Uint8Array[] = [];
  const widths: number[] = [];
  const counts: number[] = [];
  const grown = new Set<number>();
  const tiles: Tile[] = [];
  const ensureLevel = (level: number) => {
    while (rows.length <= level) {
      const l = rows.length;
      const row = new Uint8Array(TILE_WIDTH * HASH_SIZE);
      const old = edge.rows[l];
      if (old !== undefined) row.set(old);
      rows.push(row);
      widths.push((old?.length ?? 0) / HASH_SIZE);
      counts.push(hashesAtLevel(edge.size, l));
    }
  };
  const push = (level: number, hash: Uint8Array): void => {
    if (hash.length !== HASH_SIZE) throw new RangeError(`leaf hash must be ${HASH_SIZE} bytes`);
    ensureLevel(level);
    const row = rows[level]!;
    const width = widths[level]!;
    row.set(hash, width * HASH_SIZE);
    widths[level] = width + 1;
    counts[level] = counts[level]! + 1;
    grown.add(level);
    if (width + 1 === TILE_WIDTH) {
      const inner = tileInnerHashes(row);
      tiles.push({ level, index: counts[level]! / TILE_WIDTH - 1, hashes: row.slice(), inner });
      widths[level] = 0;
      grown.delete(level);
      // A full tile's root is one bottom-row hash of the tile level above.
      push(level + 1, innerRoot(inner).slice());
    }
  };
  for (const hash of leafHashes) push(0, hash);

  ensureLevel(edge.rows.length - 1);
  for (const level of [...grown].sort((a, b) => a - b)) {
    const index = Math.floor(counts[level]! / TILE_WIDTH);
    const hashes = rows[level]!.slice(0, widths[level]! * HASH_SIZE);
    tiles.push({ level, index, hashes, inner: tileInnerHashes(hashes) });
  }
  const size = edge.size + leafHashes.length;
  const newRows: Uint8Array[] = [];
  for (let level = 0; hashesAtLevel(size, level) > 0; level++) {
    newRows.push(rows[level]!.slice(0, widths[level]! * HASH_SIZE));
  }
  return { edge: { size, rows: newRows }, tiles };
}

/** Root hash of the tree whose edge this is (SHA-256("") when empty). */
export function edgeRoot(edge: TileEdge): Uint8Array {
  const subtrees: Uint8Array[] = [];
  // Higher tile levels cover more leaves, so they come first in the left-to-right fold.
  for (let level = edge.rows.length - 1; level >= 0; level--) {
    const row = edge.rows[level]!;
    let start = 0;
    for (let height = TILE_HEIGHT - 1; height >= 0; height--) {
      const count = 2 ** height;
      if (start + count <= row.length / HASH_SIZE) {
        subtrees.push(perfectSubtreeRoot(row, start, count));
        start += count;
      }
    }
  }
  return foldSubtrees(subtrees);
}
