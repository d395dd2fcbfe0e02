import { createPool } from "@aidtrail/db";
import { PostgresEventStore, START } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { Kysely, PostgresDialect, sql } from "kysely";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { drain, streamCounts, streamCountsProjection } from "../testing/stream-counts-projection.js";
import { readCheckpoint } from "./checkpoint-store.js";
import { Lease, LeaseLost } from "./lease.js";
import { liveSchema, rebuildSchema } from "./projection.js";
import { Projector } from "./projector.js";
import { rebuildProjections } from "./rebuild.js";

let database: TestDatabase;
let store: PostgresEventStore;
const pools: pg.Pool[] = [];
const sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await store.close();
  await database.drop();
});

const counts = (schema: string, prefix: string) => streamCounts(database.db, schema, prefix);

async function logEnd() {
  const log = await store.readAll({ after: START, limit: 100_000 });
  return log[log.length - 1]!;
}

describe.each([
  ["a plain pool", ""],
  ["a pipelining pool (as startProjector's)", "_piped"],
])("on %s", (_, suffix) => {
  /** The projector's connections, with every statement it sends written down. */
  let db: Kysely<any>;
  const pipelined = suffix !== "";
  beforeAll(() => {
    const pool = createPool(database.url, { max: 4, pipeline: pipelined });
    pools.push(pool);
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => void sent.push(e.query.sql.trim()) });
  });

  it("costs it no transaction: its checkpoint moves over the batch with the others' in one statement, and every event counts once", async () => {
    const onlyA = streamCountsProjection({ name: `untouched_a${suffix}`, onlyType: "A" });
    const onlyC = streamCountsProjection({ name: `untouched_c${suffix}`, onlyType: "C" });
    const all = streamCountsProjection({ name: `untouched_all${suffix}` });
    const lease = new Lease(`untouched${suffix}`, "test-u", 60_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    const projector = new Projector({ db, store, projections: [onlyA, all, onlyC], lease, pipelined });
    await drain(projector);

    const before = await Promise.all([onlyA, all, onlyC].map((p) => readCheckpoint(database.db, liveSchema(p.name))));
    await store.append(`u${suffix}-0`, [{ type: "B", data: {} }, { type: "B", data: {} }]);
    sent.length = 0;
    await drain(projector);
    // One transaction (the projection that counts everything) and one statement moving the other two.
    expect(sent.filter((s) => s === "begin")).toHaveLength(1);
    expect(sent.filter((s) => /^with lease as/.test(s))).toHaveLength(1);
    const end = await logEnd();
    for (const [i, p] of [onlyA, all, onlyC].entries()) {
      const state = await readCheckpoint(database.db, liveSchema(p.name));
      expect(state.checkpoint).toEqual({ transactionId: end.transactionId, position: end.position });
      expect(state.applied - before[i]!.applied).toBe(2n);
    }

    await store.append(`u${suffix}-0`, [{ type: "A", data: {} }, { type: "B", data: {} }]);
    await store.append(`u${suffix}-1`, [{ type: "C", data: {} }]);
    await drain(projector);
    // A new projector, as after a restart, starts from the stored checkpoints: nothing is counted twice.
    await store.append(`u${suffix}-1`, [{ type: "A", data: {} }]);
    await drain(new Projector({ db, store, projections: [onlyA, all, onlyC], lease, pipelined }));
    expect(await counts(liveSchema(`untouched_a${suffix}`), `u${suffix}`)).toEqual([
      { stream_id: `u${suffix}-0`, events: 1 },
      { stream_id: `u${suffix}-1`, events: 1 },
    ]);
    expect(await counts(liveSchema(`untouched_c${suffix}`), `u${suffix}`)).toEqual([{ stream_id: `u${suffix}-1`, events: 1 }]);
    expect(await counts(liveSchema(`untouched_all${suffix}`), `u${suffix}`)).toEqual([
      { stream_id: `u${suffix}-0`, events: 4 },
      { stream_id: `u${suffix}-1`, events: 2 },
    ]);
  });

  it("moves nothing when the lease was taken over since it was last renewed, and says so", async () => {
    const onlyA = streamCountsProjection({ name: `untouched_taken${suffix}`, onlyType: "A" });
    const lease = new Lease(`untouched-taken${suffix}`, "test-t", 60_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    const projector = new Projector({ db, store, projections: [onlyA], lease, pipelined });
    await drain(projector);
    const before = await readCheckpoint(database.db, liveSchema(`untouched_taken${suffix}`));
    await sql`update projector_leases set owner = 'someone-else' where name = ${`untouched-taken${suffix}`}`.execute(database.db);
    await store.append(`t${suffix}-0`, [{ type: "B", data: {} }]);
    expect(lease.fresh).toBe(true);
    await expect(projector.runOnce()).rejects.toThrow(LeaseLost);
    expect(await readCheckpoint(database.db, liveSchema(`untouched_taken${suffix}`))).toEqual(before);
  });

  it("a projection a swap moved behind the batch is not moved over it: it carries on from the swapped-in checkpoint, counting each event once", async () => {
    const onlyA = streamCountsProjection({ name: `untouched_behind${suffix}`, onlyType: "A" });
    const lease = new Lease(`untouched-behind${suffix}`, "test-b", 60_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    await store.append(`ub${suffix}-0`, [{ type: "A", data: {} }]);
    await rebuildProjections({ db, store, projections: [onlyA], swap: false });
    await store.append(`ub${suffix}-0`, [{ type: "A", data: {} }]);
    const projector = new Projector({ db, store, projections: [onlyA], lease, pipelined });
    await drain(projector); // remembers the later checkpoint
    await sql`alter schema ${sql.id(liveSchema(`untouched_behind${suffix}`))} rename to ${sql.id(`untouched_behind${suffix}_retired`)}`.execute(database.db);
    await sql`alter schema ${sql.id(rebuildSchema(`untouched_behind${suffix}`))} rename to ${sql.id(liveSchema(`untouched_behind${suffix}`))}`.execute(database.db);
    // Nothing for it in this batch: the swapped-in checkpoint is behind the point the batch was read after.
    await store.append(`ub${suffix}-1`, [{ type: "B", data: {} }]);
    await drain(projector);
    await drain(projector);
    expect(await counts(liveSchema(`untouched_behind${suffix}`), `ub${suffix}`)).toEqual([{ stream_id: `ub${suffix}-0`, events: 2 }]);
    const end = await logEnd();
    expect((await readCheckpoint(database.db, liveSchema(`untouched_behind${suffix}`))).checkpoint).toEqual({ transactionId: end.transactionId, position: end.position });
  });
  it("a poison event stops its projection alone, the writes of its batch undone; the others apply each event once", async () => {
    const poison = `Poison${suffix}`;
    const poisoned = streamCountsProjection({ name: `untouched_poisoned${suffix}`, poisonType: poison });
    const healthy = streamCountsProjection({ name: `untouched_healthy${suffix}` });
    const onlyA = streamCountsProjection({ name: `untouched_only${suffix}`, onlyType: "A" });
    const lease = new Lease(`untouched-poison${suffix}`, "test-p", 60_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    const projector = new Projector({ db, store, projections: [poisoned, healthy, onlyA], lease, pipelined });
    await drain(projector);
    await store.append(`up${suffix}-0`, [{ type: "Counted", data: {} }, { type: "A", data: {} }]);
    const bad = await store.append(`up${suffix}-1`, [{ type: poison, data: {} }]);
    await store.append(`up${suffix}-0`, [{ type: "A", data: {} }]);
    await drain(projector);
    const state = await readCheckpoint(database.db, liveSchema(poisoned.name));
    expect(state.status).toBe("failed");
    expect(state.failedPosition).toBe(bad.positions[0]);
    expect(await counts(liveSchema(poisoned.name), `up${suffix}`)).toEqual([{ stream_id: `up${suffix}-0`, events: 2 }]);
    expect(await counts(liveSchema(healthy.name), `up${suffix}`)).toEqual([
      { stream_id: `up${suffix}-0`, events: 3 },
      { stream_id: `up${suffix}-1`, events: 1 },
    ]);
    expect(await counts(liveSchema(onlyA.name), `up${suffix}`)).toEqual([{ stream_id: `up${suffix}-0`, events: 2 }]);
  });
});
