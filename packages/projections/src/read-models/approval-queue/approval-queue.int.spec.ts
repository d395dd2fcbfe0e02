import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, approver, createHarness, officer, pay, project, recordStory } from "../testing/scenario.js";
import { approvalQueueProjection } from "./projection.js";
import { approvalQueue } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [approvalQueueProjection], 2);
});
afterAll(async () => h?.close());

describe("approval queue", () => {
  it("is empty once every pending payment was approved or rejected", async () => {
    expect(await approvalQueue(h.database.db)).toEqual([]);
  });

  it("lists a pending payment with its preparer, amount, program and household, and drops it on approval", async () => {
    await pay(h, { disbursementId: "g-h3", householdId: "h3", programId: "grant", period: "once", amountFen: 510_000 }, officer("officer-7"));
    // Initiated and recorded land in different batches: the preparer is remembered in between.
    await project(h, [approvalQueueProjection], 1);
    expect(await approvalQueue(h.database.db)).toEqual([
      expect.objectContaining({ disbursementId: "g-h3", householdId: "h3", memberId: null, programId: "grant", period: "once", amountFen: 510_000, preparedBy: "officer-7", ruleVersion: 1 }),
    ]);
    expect(await approvalQueue(h.database.db, { programId: "dibao" })).toEqual([]);
    await h.handlers.approveDisbursement({ disbursementId: "g-h3" }, approver());
    await project(h, [approvalQueueProjection], 1);
    expect(await approvalQueue(h.database.db)).toEqual([]);
  });

  it("keeps no preparer for answered payments", async () => {
    const { rows } = await h.database.pool.query("select count(*)::int as n from rm_approval_queue.approval_in_flight");
    expect(rows[0].n).toBe(0);
  });
});
