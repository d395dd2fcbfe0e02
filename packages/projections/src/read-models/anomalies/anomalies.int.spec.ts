import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rebuildProjections } from "../../runtime/rebuild.js";
import { dividendScheduleProjection } from "../dividend-schedule/projection.js";
import { type ReadModelHarness, createHarness, inspector, officer, project } from "../testing/scenario.js";
import { anomalyRules } from "./anomaly-rules.js";
import { STORY_AS_OF, STORY_UNVERIFIED_AFTER_DAYS, recordAnomalyStory, registerWithAccount } from "./anomaly-story.js";
import { anomaliesProjection } from "./projection.js";
import { anomalies } from "./queries.js";

let h: ReadModelHarness;
let story: Awaited<ReturnType<typeof recordAnomalyStory>>;
const projections = [anomaliesProjection, dividendScheduleProjection];
const query = (extra: object = {}) => anomalies(h.database.db, { asOf: STORY_AS_OF, unverifiedAfterDays: STORY_UNVERIFIED_AFTER_DAYS, ...extra });

beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  story = await recordAnomalyStory(h);
  await project(h, projections, 3);
});
afterAll(async () => h?.close());

describe("anomalies: one example of every rule", () => {
  it("finds each rule exactly once", async () => {
    const found = await query();
    expect(found.map((a) => a.rule).sort()).toEqual([...anomalyRules].sort());
  });

  it("names the events behind each one by position and id", async () => {
    const byRule = new Map((await query()).map((a) => [a.rule, a]));
    expect(byRule.get("duplicate_payment")).toMatchObject({ householdId: "a1", programId: "med", details: { disbursementIds: ["dup-1", "dup-2"] }, positions: story.duplicate.map((d) => d.position) });
    expect(byRule.get("cap_breach")).toMatchObject({ disbursementId: "cap-1", details: { code: "cap_exceeded", requestedAmountFen: 700_000 } });
    expect(byRule.get("cap_breach")?.positions.at(-1)).toBe(story.cap.position);
    expect(byRule.get("budget_overrun_attempt")).toMatchObject({ disbursementId: "budget-1", programId: "tiny", villageId: "v2" });
    expect(byRule.get("budget_overrun_attempt")?.positions.at(-1)).toBe(story.budget.position);
    expect(byRule.get("member_not_in_household")).toMatchObject({ disbursementId: "member-1", details: { memberId: "a1-p1", refused: true } });
    expect(byRule.get("ineligible_household")).toMatchObject({
      disbursementId: "late-exit-1",
      householdId: "a3",
      positions: [story.ineligible.position, story.exit.events[0]?.position],
      openedPosition: story.exit.events[0]?.position,
    });
    expect(byRule.get("shared_bank_account")).toMatchObject({ details: { householdIds: ["a6", "a7"], accountMasked: expect.stringMatching(/\*/) } });
    expect(byRule.get("shared_bank_account")?.anomalyId).not.toContain("bi:");
    expect(byRule.get("dividend_overdue")).toMatchObject({ householdId: "a4", details: { stakeId: "stake-a4", period: "2023", dueOn: "2023-12-31" } });
    expect(byRule.get("loan_dividend_overdue")).toMatchObject({ householdId: "a5", details: { loanId: "loan-a5", period: "2024", dueOn: "2024-03-01" } });
    expect(byRule.get("payment_disputed")).toMatchObject({ disbursementId: "disputed-1", details: { caseId: "visit-1", reason: "not_received" }, positions: [story.disputed.position, story.visit.events[1]?.position] });
    expect(byRule.get("payment_unverified")).toMatchObject({ disbursementId: "old-1", details: { paidOn: "2024-01-05" }, positions: [story.old.position] });
  });

  it("time-based rules move with asOf and N; village filters", async () => {
    const early = await anomalies(h.database.db, { asOf: "2024-01-10", unverifiedAfterDays: 90 });
    expect(early.map((a) => a.rule)).not.toContain("loan_dividend_overdue");
    expect(early.map((a) => a.rule)).not.toContain("payment_unverified");
    expect((await query({ unverifiedAfterDays: 10 })).filter((a) => a.rule === "payment_unverified").map((a) => a.disbursementId).sort()).toEqual(["dup-1", "dup-2", "late-exit-1", "old-1"]);
    expect(new Set((await query({ villageId: "v1" })).map((a) => a.villageId))).toEqual(new Set(["v1"]));
  });

  it("settling events resolve them: a reversal, a follow-up visit; resolved ones stay listed on request", async () => {
    const reversal = await h.handlers.reverseDisbursement({ disbursementId: "dup-2", reason: "paid twice" }, officer());
    const followUp = await h.handlers.recordVerification({ verificationId: "visit-2", disbursementId: "disputed-1", outcome: "received", visitedOn: "2024-06-28", method: "bank_statement", note: "" }, inspector());
    await h.handlers.reverseDisbursement({ disbursementId: "late-exit-1", reason: "household had exited" }, officer());
    await project(h, projections, 2);
    const open = (await query()).map((a) => a.rule);
    expect(open).not.toContain("duplicate_payment");
    expect(open).not.toContain("payment_disputed");
    expect(open).not.toContain("ineligible_household");
    const resolved = (await query({ includeResolved: true })).filter((a) => a.status === "resolved");
    expect(resolved.map((a) => a.rule).sort()).toEqual(["duplicate_payment", "ineligible_household", "payment_disputed"]);
    expect(resolved.find((a) => a.rule === "duplicate_payment")?.resolvedPosition).toBe(reversal.events[0]?.position);
    expect(resolved.find((a) => a.rule === "payment_disputed")?.resolvedPosition).toBe(followUp.events[1]?.position);
  });

  it("more households on a shared account extend its one anomaly, in registration order, across batches", async () => {
    const before = (await query()).find((a) => a.rule === "shared_bank_account");
    await registerWithAccount(h, "a9", "v1", 9, "6217 0000 1111 0006");
    await registerWithAccount(h, "a10", "v2", 10, "6217 0000 1111 0006");
    await project(h, projections, 1);
    const shared = (await query({ includeResolved: true })).filter((a) => a.rule === "shared_bank_account");
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({
      anomalyId: before?.anomalyId,
      villageId: before?.villageId,
      openedPosition: before?.openedPosition,
      details: { householdIds: ["a6", "a7", "a9", "a10"], villageIds: ["v2", "v1", "v1", "v2"], accountMasked: before?.details.accountMasked },
    });
    expect(shared[0]?.positions.slice(0, 2)).toEqual(before?.positions);
    expect(shared[0]?.positions.map(BigInt)).toEqual([...(shared[0]?.positions.map(BigInt) ?? [])].sort((a, b) => (a < b ? -1 : 1)));
    expect(shared[0]?.positions).toHaveLength(4);
  });

  it("a rebuild in one batch gives the same anomalies as the live fold in batches of 3 and 2", async () => {
    const live = await query({ includeResolved: true });
    await rebuildProjections({ db: h.database.db, store: h.store, projections, batchSize: 10_000 });
    expect(await query({ includeResolved: true })).toEqual(live);
  });
});
