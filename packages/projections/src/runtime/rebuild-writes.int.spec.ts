import { PostgresEventStore, START } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { type Kysely, sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readCheckpoint } from "./checkpoint-store.js";
import type { Projection } from "./projection.js";
import { rebuildSchema } from "./projection.js";
import { rebuildProjections } from "./rebuild.js";

let database: TestDatabase;
let store: PostgresEventStore;
let positions: string[];

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
  for (let s = 0; s < 6; s++) await store.append(`w-${s}`, Array.from({ length: 10 }, (_, i) => ({ type: "Seen", data: { i } })));
  // On a shared server another database's open transaction can hold the log's horizon back a while.
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
    positions = (await store.readAll({ after: START, limit: 1_000 })).map((e) => e.position.toString());
    if (positions.length === 60 || Date.now() > deadline) break;
  }
  expect(positions).toHaveLength(60);
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

/**
 * One row per event. `failAt` adds a write that PostgreSQL refuses (a duplicate key) to the
 * first `times` attempts at a batch holding that position.
 */
function seenProjection(name: string, failAt: { position: string; times: number }) {
  const trace = { failures: 0 };
  const projection: Projection = {
    name,
    tables: ["seen"],
    async createTables(trx: Transaction<any>) {
      await sql`create table seen (position bigint primary key)`.execute(trx);
    },
    async applyBatch(trx: Transaction<any>, events) {
      const mine = events.map((e) => e.position.toString());
      const failing = mine.includes(failAt.position) && trace.failures < failAt.times;
      if (failing) {
        trace.failures++;
        await sql`insert into seen (position) values (-1), (-1)`.execute(trx);
      }
      await sql`insert into seen (position) select unnest(${mine}::bigint[])`.execute(trx);
    },
  };
  return { projection, trace };
}

async function seen(db: Kysely<any>, name: string): Promise<string[]> {
  const { rows } = await sql<{ p: string }>`select position::text as p from ${sql.id(rebuildSchema(name), "seen")} order by position`.execute(db);
  return rows.map((r) => r.p);
}

describe("a rebuild batch whose write PostgreSQL refuses", () => {
  it("is applied again whole once the write goes through: no event skipped or doubled", async () => {
    const { projection, trace } = seenProjection("seen_once", { position: positions[25]!, times: 1 });
    await rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 8, swap: false });
    expect(trace.failures).toBe(1);
    expect(await seen(database.db, "seen_once")).toEqual([...positions].sort((a, b) => Number(a) - Number(b)));
    const checkpoint = await readCheckpoint(database.db, rebuildSchema("seen_once"));
    expect(checkpoint).toMatchObject({ status: "running", applied: BigInt(positions.length) });
    expect(checkpoint.checkpoint.position.toString()).toBe(positions.at(-1));
  });

  it("stops the rebuild at its event while the write keeps failing: what came before is applied, nothing after it, nothing swapped in", async () => {
    const { projection } = seenProjection("seen_stuck", { position: positions[25]!, times: Number.POSITIVE_INFINITY });
    await expect(rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 8 })).rejects.toThrow(
      /rebuild of seen_stuck stopped: Seen at position/,
    );
    expect(await seen(database.db, "seen_stuck")).toEqual(positions.slice(0, 25).sort((a, b) => Number(a) - Number(b)));
    const checkpoint = await readCheckpoint(database.db, rebuildSchema("seen_stuck"));
    expect(checkpoint).toMatchObject({ status: "failed", failedPosition: BigInt(positions[25]!), applied: 25n });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = 'rm_seen_stuck'`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
  });
});
