import { type Kysely, sql, type Transaction } from "kysely";
import type { Tile, TileId, TileStore } from "../tile-store.js";
import { AUDIT_SCHEMA } from "./audit-tables.js";

/**
 * Tiles in PostgreSQL (`audit_tiles`). `schema` null means unqualified, for the sealer,
 * which runs with search_path set to the schema it writes (live or rebuild).
 */
export class PostgresTileStore implements TileStore {
  readonly #db: Kysely<any> | Transaction<any>;
  readonly #table;

  constructor(db: Kysely<any> | Transaction<any>, schema: string | null = AUDIT_SCHEMA) {
    this.#db = db;
    this.#table = schema === null ? sql.id("audit_tiles") : sql.id(schema, "audit_tiles");
  }

  async readTiles(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<{ level: number; idx: string; hashes: Buffer }>`
      select t.level, t.idx, t.hashes from ${this.#table} t
      join unnest(${ids.map((id) => id.level)}::int[], ${ids.map((id) => String(id.index))}::bigint[]) as w(level, idx)
        on t.level = w.level and t.idx = w.idx`.execute(this.#db);
    const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, r.hashes]));
    return ids.map((id) => {
      const hashes = found.get(`${id.level}/${id.index}`);
      return hashes === undefined ? undefined : new Uint8Array(hashes.buffer, hashes.byteOffset, hashes.length);
    });
  }

  /** Reads tiles with their inner hashes (null for tiles sealed before those were stored), in request order. */
  async readTilesWithInner(ids: readonly TileId[]): Promise<({ hashes: Uint8Array; inner: Uint8Array | null } | undefined)[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<{ level: number; idx: string; hashes: Buffer; inner_hashes: Buffer | null }>`
      select t.level, t.idx, t.hashes, t.inner_hashes from ${this.#table} t
      join unnest(${ids.map((id) => id.level)}::int[], ${ids.map((id) => String(id.index))}::bigint[]) as w(level, idx)
        on t.level = w.level and t.idx = w.idx`.execute(this.#db);
    const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, r]));
    return ids.map((id) => {
      const row = found.get(`${id.level}/${id.index}`);
      return row && { hashes: view(row.hashes), inner: row.inner_hashes && view(row.inner_hashes) };
    });
  }

  async writeTiles(tiles: readonly Tile[]): Promise<void> {
    if (tiles.length === 0) return;
    await sql`${writeTilesStatement(this.#table, tiles)}`.execute(this.#db);
  }
}

/**
 * One multi-row upsert of tiles with their inner hashes. A stored tile is only ever replaced
 * by a longer one (tiles grow, history does not change), so a replayed batch is a no-op.
 */
export function writeTilesStatement(table: ReturnType<typeof sql.id>, tiles: readonly Tile[]) {
  return sql`
    insert into ${table} as t (level, idx, hashes, inner_hashes)
    select * from unnest(${tiles.map((t) => t.level)}::smallint[], ${tiles.map((t) => String(t.index))}::bigint[],
                         ${tiles.map((t) => toBuffer(t.hashes))}::bytea[], ${tiles.map((t) => (t.inner ? toBuffer(t.inner) : null))}::bytea[])
    on conflict (level, idx) do update set hashes = excluded.hashes, inner_hashes = excluded.inner_hashes
      where length(excluded.hashes) > length(t.hashes)`;
}

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** pg sends Buffers as bytea; a plain Uint8Array would be sent as a JSON-ish array. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
