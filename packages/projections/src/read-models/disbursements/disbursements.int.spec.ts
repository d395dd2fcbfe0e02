import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, officer, project, recordStory } from "../testing/scenario.js";
import { disbursementsProjection } from "./projection.js";
import { disbursementById, disbursementsOfHousehold } from "./queries.js";

let h: ReadModelHarness;
let story: Awaited<ReturnType<typeof recordStory>>;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  story = await recordStory(h);
  await project(h, [disbursementsProjection], 3);
});
afterAll(async () => h?.close());

describe("disbursements", () => {
  it("a recorded payment with its amount, member, period, rule version and positions", async () => {
    const d = await disbursementById(h.database.db, "e-h1-p3");
    expect(d).toMatchObject({ status: "recorded", householdId: "h1", memberId: "h1-p3", programId: "edu", period: "2024-H1", amountFen: 50_000, requestedAmountFen: 50_000, paidOn: "2024-06-15", channel: "one_card", preparedBy: "officer-1", ruleVersion: 1 });
    expect(d?.slotKey).toContain("h1-p3");
    expect(d?.positions.recorded).toBeGreaterThan(d?.positions.initiated ?? 0n);
  });

  it("approved → recorded with its approver; rejected and reversed with who and why", async () => {
    expect(await disbursementById(h.database.db, "g-h1")).toMatchObject({ status: "recorded", approvedBy: "approver-1", positions: { decided: story.approvedPosition } });
    expect(await disbursementById(h.database.db, "g-h2")).toMatchObject({ status: "rejected", rejectedBy: "approver-1", reason: "documents missing" });
    expect(await disbursementById(h.database.db, "d-h1-feb")).toMatchObject({ status: "reversed", reversedBy: "officer-1", reason: "paid twice by the bank", positions: { reversed: story.reversalPosition } });
  });

  it("a refused payment keeps the refusal, and a household's payments come oldest first", async () => {
    const answer = await h.handlers.recordDisbursement(
      { disbursementId: "d-h1-jan-again", householdId: "h1", programId: "dibao", period: "2024-01", amountFen: 95_000, paidOn: "2024-06-15", channel: "one_card", reference: "again" },
      officer(),
    );
    expect(answer.outcome).toBe("refused");
    await project(h, [disbursementsProjection], 3);
    expect(await disbursementById(h.database.db, "d-h1-jan-again")).toMatchObject({ status: "refused", amountFen: null, refusal: { code: "slot_taken" } });
    expect((await disbursementsOfHousehold(h.database.db, "h1")).map((d) => d.disbursementId)).toEqual(["d-h1-jan", "d-h1-feb", "e-h1-p3", "g-h1", "d-h1-jan-again"]);
    expect(await disbursementById(h.database.db, "nope")).toBeNull();
  });
});
