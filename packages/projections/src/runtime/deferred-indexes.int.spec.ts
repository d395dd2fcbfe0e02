import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { type Kysely, type Transaction, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { upsertRows } from "../read-models/shared/sql-rows.js";
import { appendsByCopy } from "./bulk-load.js";
import { ensureProjectionSchema } from "./checkpoint-store.js";
import { type Projection, liveSchema } from "./projection.js";
import { rebuildProjections } from "./rebuild.js";

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
  for (let i = 0; i < 6; i++) await store.append(`entry-${i % 3}`, [{ type: "Entered", data: { key: `k${i % 3}` } }]);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

/** One entry row per event, keyed by `key(event)`; appended only, never read back. */
function entriesProjection(name: string, key: (data: { key: string }, position: bigint) => string, byCopy: boolean[] = []): Projection {
  return {
    name,
    tables: ["entries"],
    appendOnly: ["entries"],
    async createTables(trx: Transaction<any>) {
      await sql`create table entries (entry_key text primary key, stream_id text not null, position bigint not null)`.execute(trx);
      await sql`create index entries_stream on entries (stream_id, position)`.execute(trx);
    },
    async applyBatch(trx, events) {
      byCopy.push(appendsByCopy(trx, "entries"));
      const rows = events.map((e) => ({ entry_key: key(e.data as { key: string }, e.position), stream_id: e.streamId, position: e.position.toString() }));
      await upsertRows(trx, "entries", { entry_key: "text", stream_id: "text", position: "bigint" }, rows, { key: ["entry_key"], set: {} });
    },
  };
}

/** Index definitions of a schema's tables, without the schema's name. */
async function indexes(db: Kysely<any>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ def: string }>`
    select replace(indexdef, ${`${schema}.`}, '') as def from pg_indexes where schemaname = ${schema} order by indexname`.execute(db);
  return rows.map((r) => r.def);
}

describe("append-only tables in a rebuild", () => {
  it("are loaded without their indexes and end with the same indexes as a fresh schema", async () => {
    const byCopy: boolean[] = [];
    const projection = entriesProjection("entries_ok", (_, position) => `p${position}`, byCopy);
    await ensureProjectionSchema(database.db, "entries_fresh", projection);
    await rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 2 });
    expect(await indexes(database.db, liveSchema("entries_ok"))).toEqual(await indexes(database.db, "entries_fresh"));
    expect(await indexes(database.db, liveSchema("entries_ok"))).toHaveLength(3);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(liveSchema("entries_ok"), "entries")}`.execute(database.db);
    expect(rows[0]?.n).toBe(6);
    // Loaded by COPY in the rebuild: 3 batches of 2 events.
    expect(byCopy).toEqual([true, true, true]);
  });

  it("are appended by the usual insert outside a rebuild, where they have their indexes", async () => {
    const byCopy: boolean[] = [];
    const projection = entriesProjection("entries_live", (_, position) => `p${position}`, byCopy);
    await ensureProjectionSchema(database.db, "rm_entries_live", projection);
    await database.db.transaction().execute(async (trx) => {
      await sql`set local search_path = rm_entries_live`.execute(trx);
      await projection.applyBatch(trx, await store.readAll({ limit: 10 }));
    });
    expect(byCopy).toEqual([false]);
  });

  it("fail the rebuild when a key was written twice, and nothing is swapped in", async () => {
    // The same key from two batches: live would skip the second row, a rebuild cannot build the key.
    const projection = entriesProjection("entries_dup", (data) => data.key);
    await expect(rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 2 })).rejects.toThrow(/could not create unique index/);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${liveSchema("entries_dup")}`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
  });
});
