import { PostgresEventStore, START } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { drain, streamCounts, streamCountsProjection } from "../testing/stream-counts-projection.js";
import { readCheckpoint } from "./checkpoint-store.js";
import { projectionChecksum } from "./checksum.js";
import { Lease, LeaseLost } from "./lease.js";
import { liveSchema, rebuildSchema } from "./projection.js";
import { Projector } from "./projector.js";
import { runProjectorLoop } from "./projector-loop.js";
import { rebuildProjections } from "./rebuild.js";
import { projectionStatus } from "./status.js";

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

async function appendMany(prefix: string, streams: number, perStream: number, type = "Counted") {
  await Promise.all(
    Array.from({ length: streams }, async (_, s) => {
      for (let i = 0; i < perStream; i++) await store.append(`${prefix}-${s}`, [{ type, data: { i } }]);
    }),
  );
}

const counts = (schema: string, prefix: string) => streamCounts(database.db, schema, prefix);

describe("projector runtime", () => {
  it("applies every event once and resumes from its checkpoint after a restart", async () => {
    const projection = streamCountsProjection({ name: "counts_a" });
    const lease = new Lease("counts_a", "test-a", 10_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    await appendMany("a", 4, 30);
    await drain(new Projector({ db: database.db, store, projections: [projection], lease, batchSize: 17 }));
    await appendMany("a", 4, 5);
    // A new instance, as after a restart: it starts from the stored checkpoint.
    await drain(new Projector({ db: database.db, store, projections: [projection], lease, batchSize: 17 }));
    expect((await counts(liveSchema("counts_a"), "a")).map((r) => r.events)).toEqual([35, 35, 35, 35]);
    // The checkpoint moves with each batch in the batch's first statement: every event counted once, ending at the last.
    const log = await store.readAll({ after: START, limit: 1_000 });
    const checkpoint = await readCheckpoint(database.db, liveSchema("counts_a"));
    expect(log).toHaveLength(140);
    expect(checkpoint.applied).toBe(140n);
    expect(checkpoint.checkpoint.position).toBe(log[139]!.position);
    const [status] = await projectionStatus(database.db, [projection]);
    expect(status).toMatchObject({ name: "counts_a", status: "running", lagSeconds: 0 });
  });

  it("a projector whose lease was taken over since it last renewed applies nothing and says so", async () => {
    const projection = streamCountsProjection({ name: "counts_taken" });
    const lease = new Lease("taken-test", "test-t", 60_000);
    expect(await lease.tryAcquire(database.db)).toBe(true);
    const projector = new Projector({ db: database.db, store, projections: [projection], lease });
    await drain(projector);
    const before = await readCheckpoint(database.db, liveSchema("counts_taken"));
    // Another owner holds the row now, while this process still counts its lease as fresh.
    await sql`update projector_leases set owner = 'someone-else' where name = 'taken-test'`.execute(database.db);
    await store.append("t-0", [{ type: "Counted", data: {} }]);
    expect(lease.fresh).toBe(true);
    await expect(projector.runOnce()).rejects.toThrow(LeaseLost);
    expect(await readCheckpoint(database.db, liveSchema("counts_taken"))).toEqual(before);
    expect(await counts(liveSchema("counts_taken"), "t")).toEqual([]);
  });

  it("stops a projection on a poison event, applies what came before, and leaves the others running", async () => {
    const poisoned = streamCountsProjection({ name: "counts_poisoned", poisonType: "Poison" });
    const healthy = streamCountsProjection({ name: "counts_healthy" });
    const lease = new Lease("poison-test", "test-p", 10_000);
    await lease.tryAcquire(database.db);
    const failures: string[] = [];
    const warnings: Array<{ projection?: string; error?: string }> = [];
    const projector = new Projector({
      db: database.db,
      store,
      projections: [poisoned, healthy],
      lease,
      onFailed: (name, position) => failures.push(`${name}@${position}`),
      log: { info() {}, error() {}, warn: (obj) => warnings.push(obj as { projection?: string; error?: string }) },
    });
    await drain(projector);
    await store.append("p-0", [{ type: "Counted", data: {} }, { type: "Counted", data: {} }]);
    const bad = await store.append("p-1", [{ type: "Poison", data: {} }]);
    await store.append("p-0", [{ type: "Counted", data: {} }]);
    await drain(projector);

    const state = await readCheckpoint(database.db, liveSchema("counts_poisoned"));
    expect(state.status).toBe("failed");
    expect(state.failedPosition).toBe(bad.positions[0]);
    expect(state.error).toContain(`Poison at position ${bad.positions[0]}`);
    expect(failures).toEqual([`counts_poisoned@${bad.positions[0]}`]);
    // The whole batch failed first, and that was logged before the event-by-event search.
    expect(warnings.map((w) => w.projection)).toEqual(["counts_poisoned"]);
    expect(warnings[0]?.error).toMatch(/poison/i);
    expect(await counts(liveSchema("counts_poisoned"), "p")).toEqual([{ stream_id: "p-0", events: 2 }]);
    expect(await counts(liveSchema("counts_healthy"), "p")).toEqual([
      { stream_id: "p-0", events: 3 },
      { stream_id: "p-1", events: 1 },
    ]);
    // Stopped means stopped: later batches do not skip past the poison event.
    await store.append("p-0", [{ type: "Counted", data: {} }]);
    await drain(projector);
    expect(await counts(liveSchema("counts_poisoned"), "p")).toEqual([{ stream_id: "p-0", events: 2 }]);
  });

  it("a rebuild stops a projection on a poison event alone, replays the others to the end and swaps nothing in", async () => {
    // The log holds the previous test's poison event.
    const poisoned = streamCountsProjection({ name: "counts_rb_poisoned", poisonType: "Poison" });
    const healthy = streamCountsProjection({ name: "counts_rb_healthy" });
    await expect(rebuildProjections({ db: database.db, store, projections: [poisoned, healthy], batchSize: 3 })).rejects.toThrow(
      /rebuild of counts_rb_poisoned stopped: Poison at position/,
    );
    expect(await counts(rebuildSchema("counts_rb_poisoned"), "p")).toEqual([{ stream_id: "p-0", events: 2 }]);
    expect(await counts(rebuildSchema("counts_rb_healthy"), "p")).toEqual([
      { stream_id: "p-0", events: 4 },
      { stream_id: "p-1", events: 1 },
    ]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_namespace where nspname in (${liveSchema("counts_rb_poisoned")}, ${liveSchema("counts_rb_healthy")})`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
  });

  it("two projector processes racing for one lease apply each event exactly once", async () => {
    const projection = streamCountsProjection({ name: "counts_race", delayMs: 15 });
    await appendMany("race", 8, 100);
    const controller = new AbortController();
    // A short lease and slow batches make takeovers happen during the run.
    const loops = ["one", "two"].map((owner) =>
      runProjectorLoop({
        db: database.db,
        projector: new Projector({ db: database.db, store, projections: [projection], lease: new Lease("race", owner, 250), batchSize: 25 }),
        lease: new Lease("race", owner, 250),
        waitForEvents: (after, ms, signal) => store.waitForEvents(after, ms, signal),
        signal: controller.signal,
        idleMs: 20,
      }),
    );
    const writers = appendMany("race", 8, 50);
    await writers;
    const deadline = Date.now() + 40_000;
    for (;;) {
      const rows = await counts(liveSchema("counts_race"), "race").catch(() => []);
      if (rows.length === 8 && rows.every((r) => r.events >= 150)) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await Promise.all(loops);
    expect((await counts(liveSchema("counts_race"), "race")).map((r) => r.events)).toEqual(Array(8).fill(150));
  });

  it("rebuilds into fresh tables, swaps them in, and gives the same checksum", async () => {
    const projection = streamCountsProjection({ name: "counts_rebuild" });
    const lease = new Lease("counts_rebuild", "test-r", 10_000);
    await lease.tryAcquire(database.db);
    await appendMany("r", 5, 20);
    const live = new Projector({ db: database.db, store, projections: [projection], lease });
    await drain(live);
    const before = await projectionChecksum(database.db, liveSchema("counts_rebuild"), projection);

    const progress: number[] = [];
    await rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 50, onProgress: (p) => progress.push(p.applied) });
    const after = await projectionChecksum(database.db, liveSchema("counts_rebuild"), projection);
    expect(after).toBe(before);
    expect(progress.at(-1)).toBeGreaterThan(0);

    // The live projector carries on from the rebuilt checkpoint.
    await store.append("r-0", [{ type: "Counted", data: {} }]);
    await drain(live);
    expect((await counts(liveSchema("counts_rebuild"), "r"))[0]).toEqual({ stream_id: "r-0", events: 21 });
  });

  it("a live projector that knew a later checkpoint carries on from the one a swap brought in, applying each event once", async () => {
    const projection = streamCountsProjection({ name: "counts_behind" });
    const lease = new Lease("counts_behind", "test-b", 10_000);
    await lease.tryAcquire(database.db);
    await appendMany("b", 3, 10);
    // A rebuild that stops before its swap: its checkpoint is the log's end now.
    await rebuildProjections({ db: database.db, store, projections: [projection], batchSize: 7, swap: false });
    await appendMany("b", 3, 5);
    const live = new Projector({ db: database.db, store, projections: [projection], lease, batchSize: 4 });
    await drain(live); // knows the later checkpoint from here on
    // The older rebuild is swapped in behind the live projector's back.
    await sql`alter schema ${sql.id(liveSchema("counts_behind"))} rename to counts_behind_retired`.execute(database.db);
    await sql`alter schema ${sql.id(rebuildSchema("counts_behind"))} rename to ${sql.id(liveSchema("counts_behind"))}`.execute(database.db);
    await appendMany("b", 3, 2);
    await drain(live);
    await drain(live);
    expect((await counts(liveSchema("counts_behind"), "b")).map((r) => r.events)).toEqual([17, 17, 17]);
  });
  it("applies a batch to the projection that took longest last time first", async () => {
    const order: string[] = [];
    const traced = (p: ReturnType<typeof streamCountsProjection>) => ({
      ...p,
      async applyBatch(trx: Parameters<typeof p.applyBatch>[0], events: Parameters<typeof p.applyBatch>[1]) {
        order.push(p.name);
        await p.applyBatch(trx, events);
      },
    });
    const quick = traced(streamCountsProjection({ name: "order_quick" }));
    const slow = traced(streamCountsProjection({ name: "order_slow", delayMs: 200 }));
    const lease = new Lease("order-test", "test-o", 60_000);
    await lease.tryAcquire(database.db);
    const projector = new Projector({ db: database.db, store, projections: [quick, slow], lease, parallelism: 1 });
    await drain(projector);
    await store.append("o-0", [{ type: "Counted", data: {} }]);
    order.length = 0;
    await drain(projector);
    expect(order).toEqual(["order_slow", "order_quick"]);
  });
});
