import { HASH_SIZE, perfectSubtreeRoot } from "./merkle-hash.js";
import type { NodeId } from "./tree-node.js";
import { TILE_HEIGHT, TILE_WIDTH, type TileId, type TileStore } from "./tile-store.js";

/** Reads perfect-subtree hashes by (level, index); one call is one batch. */
export interface TreeHashReader {
  readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]>;
}

interface Location {
  readonly tile: TileId;
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
  return { tile: { level: tileLevel, index: tileIndex }, height, start, width: start + count };
}

/**
 * A TreeHashReader over a TileStore: every node of a request is served from one batch
 * of tile reads, so a proof costs one round trip touching O(log n) tiles.
 */
export class TileHashReader implements TreeHashReader {
  readonly #store: TileStore;

  constructor(store: TileStore) {
    this.#store = store;
  }

  async readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    const locations = nodes.map(locateNode);
    const tileKeys = new Map<string, TileId>();
    for (const { tile } of locations) tileKeys.set(`${tile.level}/${tile.index}`, tile);
    const ids = [...tileKeys.values()];
    const data = await this.#store.readTiles(ids);
    const byKey = new Map<string, Uint8Array | undefined>();
    ids.forEach((id, i) => byKey.set(`${id.level}/${id.index}`, data[i]));
    return locations.map((loc, i) => {
      const row = byKey.get(`${loc.tile.level}/${loc.tile.index}`);
      if (row === undefined || row.length < loc.width * HASH_SIZE) {
        const node = nodes[i]!;
        throw new Error(`hash (${node.level}, ${node.index}) is not stored: tile ${loc.tile.level}/${loc.tile.index} too short`);
      }
      return perfectSubtreeRoot(row, loc.start, loc.width - loc.start);
    });
  }
}
