/** Hashes per tile row: tiles of height 8, as in Go's checksum database (sumdb/tlog). */
export const TILE_HEIGHT = 8;
/** Maximum number of hashes in one tile (2^TILE_HEIGHT). */
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

/**
 * Identifies a tile: tile (level L, index N) holds the perfect-subtree hashes at tree
 * level 8·L with indexes N·256 … N·256+255, i.e. the bottom row of one 8-level slab.
 */
export interface TileId {
  readonly level: number;
  readonly index: number;
}

/**
 * A tile's bottom row, `width·32` bytes (1 ≤ width ≤ 256). A partial tile (width < 256)
 * grows as leaves arrive; a longer version always starts with the shorter one.
 */
export interface Tile extends TileId {
  readonly hashes: Uint8Array;
  /** The hashes above the row (tileInnerHashes), when the writer computed them: what a proof reads. */
  readonly inner?: Uint8Array;
}

/**
 * Where tiles live (a PostgreSQL table in production). Keyed by (level, index); a
 * write replaces a narrower version of the same tile.
 */
export interface TileStore {
  /** Reads tiles in one batch, in request order; a tile not stored yet is `undefined`. */
  readTiles(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]>;
  /** Stores tiles, each replacing any narrower stored version. */
  writeTiles(tiles: readonly Tile[]): Promise<void>;
}
