import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { streamCountsProjection } from "../testing/stream-counts-projection.js";
import { readCheckpoint } from "./checkpoint-store.js";
import { Lease } from "./lease.js";
import { liveSchema } from "./projection.js";
import { Projector } from "./projector.js";
import { runProjectorLoop } from "./projector-loop.js";

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

it("a loop whose projections have all stopped on a poison event idles instead of waiting on the log (which would return at once, forever)", async () => {
  const projection = streamCountsProjection({ name: "loop_stopped", poisonType: "Poison" });
  await store.append("ls-0", [{ type: "Poison", data: {} }]);
  const lease = new Lease("loop-stopped", "test-l", 60_000);
  const projector = new Projector({ db: database.db, store, projections: [projection], lease });
  let batches = 0;
  let stopped!: () => void;
  const sawStopped = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const runOnce = projector.runOnce.bind(projector);
  projector.runOnce = async () => {
    const outcome = await runOnce();
    batches++;
    if (batches === 2) stopped();
    return outcome;
  };
  const waits: unknown[] = [];
  const controller = new AbortController();
  const loop = runProjectorLoop({
    db: database.db,
    projector,
    lease,
    waitForEvents: async (after, ms, signal) => {
      waits.push(after);
      await store.waitForEvents(after, ms, signal);
    },
    signal: controller.signal,
    idleMs: 60_000,
  });
  await sawStopped;
  controller.abort();
  await loop;
  expect((await readCheckpoint(database.db, liveSchema("loop_stopped"))).status).toBe("failed");
  // The batch that stopped it, then the one that found nothing running; no wait on the log.
  expect(batches).toBe(2);
  expect(waits).toEqual([]);
});

it("a loop waiting on the log resumes when another projector of the process ends a batch (its transaction may have held the log's horizon back)", async () => {
  const waiting = streamCountsProjection({ name: "loop_woken" });
  const other = streamCountsProjection({ name: "loop_other" });
  const lease = new Lease("loop-woken", "test-w", 60_000);
  const projector = new Projector({ db: database.db, store, projections: [waiting], lease });
  let resumed!: () => void;
  const applied = new Promise<void>((resolve) => {
    resumed = resolve;
  });
  const runOnce = projector.runOnce.bind(projector);
  projector.runOnce = async () => {
    const outcome = await runOnce();
    // A batch after the loop first waited: the wait ended.
    if (outcome.applied > 0 && waits > 0) resumed();
    return outcome;
  };
  let waits = 0;
  let waitingNow!: () => void;
  const parked = new Promise<void>((resolve) => {
    waitingNow = resolve;
  });
  const controller = new AbortController();
  const loop = runProjectorLoop({
    db: database.db,
    projector,
    lease,
    // A store that would wait until its timeout (a minute): only an abort ends the wait.
    waitForEvents: (_after, _ms, signal) =>
      new Promise<void>((resolve) => {
        waits++;
        waitingNow();
        if (signal.aborted) resolve();
        signal.addEventListener("abort", () => resolve(), { once: true });
      }),
    signal: controller.signal,
    idleMs: 60_000,
  });
  await parked;
  await store.append("lw-0", [{ type: "Counted", data: {} }]);
  const otherLease = new Lease("loop-other", "test-w", 60_000);
  await otherLease.tryAcquire(database.db);
  await new Projector({ db: database.db, store, projections: [other], lease: otherLease }).runOnce();
  const outcome = await Promise.race([applied.then(() => "resumed"), new Promise((r) => setTimeout(() => r("still waiting"), 10_000))]);
  controller.abort();
  await loop;
  expect(outcome).toBe("resumed");
});
