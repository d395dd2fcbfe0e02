import { HASH_SIZE, nodeHash } from "./merkle-hash.js";
import type { NodeId } from "./tree-node.js";
import { TILE_HEIGHT, TILE_WIDTH, type TileId, type TileStore } from "./tile-store.js";

/** Reads perfect-subtree hashes by (level, index); one call is one batch. */
export interface TreeHashReader {
  readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]>;
}

interface Location {
  readonly tile: TileId;
  readonly key: string;
  /** Level of the node above the tile's bottom row (0–7). */
  readonly height: number;
  /** First bottom-row hash under the node, relative to the tile. */
  readonly start: number;
  /** Bottom-row hashes the tile must hold for this node. */
  readonly width: number;
}

/** Where a node's hash comes from: which tile, and which of its bottom-row hashes. */
export function locateNode(node: NodeId): Location {
  const tileLevel = Math.floor(node.level / TILE_HEIGHT);
  const height = node.level - tileLevel * TILE_HEIGHT;
  const count = 2 ** height;
  const first = node.index * count;
  const tileIndex = Math.floor(first / TILE_WIDTH);
  const start = first - tileIndex * TILE_WIDTH;
  return {
    tile: { level: tileLevel, index: tileIndex },
    key: `${tileLevel}/${tileIndex}`,
    height,
    start,
    width: start + count,
  };
}

/** Options of a TileHashReader. */
export interface TileHashReaderOptions {
  /** Tiles whose inner hashes stay in memory (≈16 KiB each); default 1024. */
  readonly cachedTiles?: number;
}

/** Every inner hash of a tile's first `width` bottom-row hashes. */
interface InnerTree {
  readonly width: number;
  readonly hashes: Uint8Array;
}

/**
 * A TreeHashReader over a TileStore: every node of a request is served from one batch
 * of tile reads, so a proof costs one round trip touching O(log n) tiles. A tile's
 * prefix never changes, so each tile's inner hashes are cached (extended as it grows),
 * sparing both reads and hashing on later proofs.
 */
export class TileHashReader implements TreeHashReader {
  readonly #store: TileStore;
  readonly #capacity: number;
  readonly #cache = new Map<string, InnerTree>();

  constructor(store: TileStore, options: TileHashReaderOptions = {}) {
    this.#store = store;
    this.#capacity = options.cachedTiles ?? 1024;
  }

  async readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    const locations = nodes.map(locateNode);
    const missing = new Map<string, TileId>();
    for (const loc of locations) {
      if ((this.#cache.get(loc.key)?.width ?? 0) < loc.width) missing.set(loc.key, loc.tile);
    }
    if (missing.size > 0) {
      const ids = [...missing.keys()];
      const rows = await this.#store.readTiles([...missing.values()]);
      ids.forEach((key, i) => {
        const row = rows[i];
        const cached = this.#cache.get(key);
        if (row !== undefined && row.length / HASH_SIZE > (cached?.width ?? 0)) this.#remember(key, innerTree(row, cached));
      });
    }
    return locations.map((loc, i) => {
      const tree = this.#cache.get(loc.key);
      if (tree === undefined || tree.width < loc.width) {
        const node = nodes[i]!;
        throw new Error(`hash (${node.level}, ${node.index}) is not stored: tile ${loc.key} is missing or too short`);
      }
      this.#remember(loc.key, tree);
      const offset = (innerOffset(loc.height) + (loc.start >> loc.height)) * HASH_SIZE;
      return tree.hashes.slice(offset, offset + HASH_SIZE);
    });
  }

  // Re-inserting moves a tile to the back of the Map, so the least recently used goes first.
  #remember(key: string, tree: InnerTree): void {
    this.#cache.delete(key);
    this.#cache.set(key, tree);
    if (this.#cache.size > this.#capacity) this.#cache.delete(this.#cache.keys().next().value!);
  }
}

/** Index of the first hash of a given height in the inner-tree layout: 256 bottom hashes, then 128, 64, … 1. */
function innerOffset(height: number): number {
  return 2 * TILE_WIDTH - ((2 * TILE_WIDTH) >> height);
}

/** Inner hashes of a (possibly partial) tile row, reusing those of a narrower cached version. */
function innerTree(row: Uint8Array, previous: InnerTree | undefined): InnerTree {
  const width = row.length / HASH_SIZE;
  const hashes = new Uint8Array((2 * TILE_WIDTH - 1) * HASH_SIZE);
  if (previous !== undefined) hashes.set(previous.hashes);
  hashes.set(row);
  for (let height = 1; height <= TILE_HEIGHT; height++) {
    const below = innerOffset(height - 1);
    const at = innerOffset(height);
    for (let j = (previous?.width ?? 0) >> height; j < width >> height; j++) {
      const left = hashes.subarray((below + 2 * j) * HASH_SIZE, (below + 2 * j + 1) * HASH_SIZE);
      const right = hashes.subarray((below + 2 * j + 1) * HASH_SIZE, (below + 2 * j + 2) * HASH_SIZE);
      hashes.set(nodeHash(left, right), (at + j) * HASH_SIZE);
    }
  }
  return { width, hashes };
}
