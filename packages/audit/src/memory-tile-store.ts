import { bytesEqual } from "./verify/bytes.js";
import type { Tile, TileId, TileStore } from "./tile-store.js";

const key = (id: TileId): string => `${id.level}/${id.index}`;

/** An in-memory TileStore for tests and tools; refuses writes that would rewrite history. */
export class MemoryTileStore implements TileStore {
  readonly #tiles = new Map<string, Uint8Array>();
  /** Number of readTiles calls, so tests can assert batching. */
  reads = 0;

  async readTiles(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
    this.reads++;
    return ids.map((id) => this.#tiles.get(key(id)));
  }

  async writeTiles(tiles: readonly Tile[]): Promise<void> {
    for (const tile of tiles) {
      const old = this.#tiles.get(key(tile));
      if (old !== undefined) {
        // Tiles only grow: a write must extend what is stored, never change it.
        if (tile.hashes.length < old.length || !bytesEqual(tile.hashes.subarray(0, old.length), old)) {
          throw new Error(`tile ${key(tile)} would be rewritten, not extended`);
        }
      }
      this.#tiles.set(key(tile), tile.hashes.slice());
    }
  }

  /** Number of stored tiles. */
  get size(): number {
    return this.#tiles.size;
  }
}
