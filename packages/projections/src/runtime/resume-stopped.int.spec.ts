import type { RecordedEvent } from "@aidtrail/event-store";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import type { Transaction } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { streamCounts, streamCountsProjection } from "../testing/stream-counts-projection.js";
import { type ProjectionCheckpoint, readCheckpoint } from "./checkpoint-store.js";
import { Lease } from "./lease.js";
import { liveSchema, type Projection } from "./projection.js";
import { Projector } from "./projector.js";
import { runProjectorLoop } from "./projector-loop.js";
import { resumeStopped } from "./resume-stopped.js";

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

/** A stream-counts projection that cannot apply "Repairable" events until `fixed` (a deployed fix). */
function repairable(name: string) {
  const inner = streamCountsProjection({ name });
  const state = { fixed: false };
  const projection: Projection = {
    ...inner,
    async applyBatch(trx: Transaction<any>, events: readonly RecordedEvent[]) {
      if (!state.fixed && events.some((e) => e.type === "Repairable")) throw new Error("cannot apply Repairable yet");
      await inner.applyBatch(trx, events);
    },
  };
  return { projection, state };
}

/** Polls the checkpoint until `accept` takes it (the test's timeout bounds the wait). */
async function checkpointWhen(schema: string, accept: (c: ProjectionCheckpoint) => boolean): Promise<ProjectionCheckpoint> {
  for (;;) {
    const checkpoint = await readCheckpoint(database.db, schema);
    if (accept(checkpoint)) return checkpoint;
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("a projection stopped on a poison event, resumed after the fix, is picked up by the running loop and applies the rest; the others go on meanwhile", async () => {
  const { projection: broken, state } = repairable("resume_broken");
  const healthy = streamCountsProjection({ name: "resume_healthy" });
  const lease = new Lease("resume-loop", "test-r", 60_000);
  const projector = new Projector({ db: database.db, store, projections: [broken, healthy], lease, recheckStoppedMs: 0 });
  const controller = new AbortController();
  const loop = runProjectorLoop({
    db: database.db,
    projector,
    lease,
    waitForEvents: (after, ms, signal) => store.waitForEvents(after, ms, signal),
    signal: controller.signal,
    idleMs: 50,
  });
  try {
    await store.append("rs-a", [{ type: "Counted", data: {} }]);
    const [poison] = (await store.append("rs-b", [{ type: "Repairable", data: {} }])).positions;
    await store.append("rs-c", [{ type: "Counted", data: {} }]);
    const stopped = await checkpointWhen(liveSchema("resume_broken"), (c) => c.status === "failed");
    expect(stopped.failedPosition).toBe(poison);
    // The healthy one goes on past the poison event.
    await checkpointWhen(liveSchema("resume_healthy"), (c) => c.applied === 3n);

    // Resumed before the fix: it stops again on the same event, nothing applied twice.
    expect(await resumeStopped(database.db, liveSchema("resume_broken"))).toMatchObject({ failedPosition: poison });
    const again = await checkpointWhen(liveSchema("resume_broken"), (c) => c.status === "failed");
    expect(again.failedPosition).toBe(poison);

    state.fixed = true;
    await store.append("rs-d", [{ type: "Counted", data: {} }]);
    expect(await resumeStopped(database.db, liveSchema("resume_broken"))).toMatchObject({ failedPosition: poison });
    const resumed = await checkpointWhen(liveSchema("resume_broken"), (c) => c.status === "running" && c.applied === 4n);
    expect(resumed.error).toBeNull();
    expect(await streamCounts(database.db, liveSchema("resume_broken"), "rs")).toEqual([
      { stream_id: "rs-a", events: 1 },
      { stream_id: "rs-b", events: 1 },
      { stream_id: "rs-c", events: 1 },
      { stream_id: "rs-d", events: 1 },
    ]);
    expect(await streamCounts(database.db, liveSchema("resume_healthy"), "rs")).toHaveLength(4);
    // Resuming one that runs changes nothing.
    expect(await resumeStopped(database.db, liveSchema("resume_broken"))).toBeUndefined();
  } finally {
    controller.abort();
    await loop;
  }
}, 60_000);
