import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { projectionChecksum } from "../runtime/checksum.js";
import { Lease } from "../runtime/lease.js";
import { liveSchema } from "../runtime/projection.js";
import { Projector } from "../runtime/projector.js";
import { rebuildProjections } from "../runtime/rebuild.js";
import { allProjections } from "./index.js";
import { type ReadModelHarness, approver, createHarness, officer, pay, project, recordStory } from "./testing/scenario.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  // Live: batch by batch while the story goes on, in small batches.
  await project(h, allProjections, 3);
  await pay(h, { disbursementId: "g-h3", householdId: "h3", programId: "grant", period: "once", amountFen: 510_000 });
  await project(h, allProjections, 2);
  await h.handlers.approveDisbursement({ disbursementId: "g-h3" }, approver());
  await h.handlers.reverseDisbursement({ disbursementId: "g-h3", reason: "duplicate" }, officer());
  await pay(h, { disbursementId: "g-h3-again", householdId: "h3", programId: "grant", period: "once", amountFen: 100_000 });
  await project(h, allProjections, 1);
});
afterAll(async () => h?.close());

async function checksums(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of allProjections) out[p.name] = await projectionChecksum(h.database.db, liveSchema(p.name), p);
  return out;
}

describe("every read model", () => {
  it("has ten projections with distinct names", () => {
    expect(new Set(allProjections.map((p) => p.name)).size).toBe(10);
  });

  it("built live in small batches equals a rebuild in large batches, and two rebuilds are identical", async () => {
    const live = await checksums();
    await rebuildProjections({ db: h.database.db, store: h.store, projections: allProjections, batchSize: 10_000 });
    const first = await checksums();
    expect(first).toEqual(live);
    await rebuildProjections({ db: h.database.db, store: h.store, projections: allProjections, batchSize: 17 });
    expect(await checksums()).toEqual(first);
  });

  it("carries on live from the rebuilt checkpoint", async () => {
    await pay(h, { disbursementId: "d-h3-jan", householdId: "h3", programId: "dibao", period: "2024-01", amountFen: 95_000 });
    const lease = new Lease("rm-after-rebuild", "t", 60_000);
    await lease.tryAcquire(h.database.db);
    const projector = new Projector({ db: h.database.db, store: h.store, projections: allProjections, lease, batchSize: 4 });
    for (;;) if ((await projector.runOnce()).caughtUp) break;
    const live = await checksums();
    await rebuildProjections({ db: h.database.db, store: h.store, projections: allProjections, batchSize: 5_000 });
    expect(await checksums()).toEqual(live);
  });
});
