import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rebuildProjections } from "../../runtime/rebuild.js";
import { type ReadModelHarness, createHarness, project, recordStory } from "../testing/scenario.js";
import { balancesProjection } from "./projection.js";
import { householdBalances } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  // Small batches: approvals and reversals find their payment in an earlier batch.
  await project(h, [balancesProjection], 7);
});
afterAll(async () => h?.close());

describe("balances", () => {
  it("counts recorded payments and approved ones; a reversal moves the amount to reversed", async () => {
    expect(await householdBalances(h.database.db, "h1")).toEqual([
      { programId: "dibao", paidFen: 190_000, reversedFen: 95_000, netFen: 95_000, pendingFen: 0, payments: 2, reversals: 1 },
      { programId: "edu", paidFen: 50_000, reversedFen: 0, netFen: 50_000, pendingFen: 0, payments: 1, reversals: 0 },
      { programId: "grant", paidFen: 550_000, reversedFen: 0, netFen: 550_000, pendingFen: 0, payments: 1, reversals: 0 },
    ]);
  });

  it("never counts a rejected payment", async () => {
    expect(await householdBalances(h.database.db, "h2")).toEqual([
      { programId: "dibao", paidFen: 95_000, reversedFen: 0, netFen: 95_000, pendingFen: 0, payments: 1, reversals: 0 },
      { programId: "edu", paidFen: 50_000, reversedFen: 0, netFen: 50_000, pendingFen: 0, payments: 1, reversals: 0 },
      { programId: "grant", paidFen: 0, reversedFen: 0, netFen: 0, pendingFen: 0, payments: 0, reversals: 0 },
    ]);
  });

  it("shows a payment awaiting its second signature as pending, not paid", async () => {
    await h.handlers.recordDisbursement(
      { disbursementId: "g-h3", householdId: "h3", programId: "grant", period: "once", amountFen: 510_000, paidOn: "2024-06-15", channel: "one_card", reference: "r" },
      { actor: { id: "officer-1", roles: ["officer"] }, requestId: "bal-1", now: "2024-06-30T09:00:00.000Z" },
    );
    await project(h, [balancesProjection], 7);
    const grant = (await householdBalances(h.database.db, "h3")).find((b) => b.programId === "grant");
    expect(grant).toEqual({ programId: "grant", paidFen: 0, reversedFen: 0, netFen: 0, pendingFen: 510_000, payments: 0, reversals: 0 });
  });

  it("a rebuild in one batch, where one household's programs move together, gives each program the totals the small batches gave", async () => {
    const households = ["h1", "h2", "h3"];
    const live = await Promise.all(households.map((id) => householdBalances(h.database.db, id)));
    // h1's dibao, edu and grant payments (and the grant's approval, the reversal) all fall in this one batch.
    expect(live[0]!.map((b) => b.programId)).toEqual(["dibao", "edu", "grant"]);
    await rebuildProjections({ db: h.database.db, store: h.store, projections: [balancesProjection], batchSize: 10_000 });
    expect(await Promise.all(households.map((id) => householdBalances(h.database.db, id)))).toEqual(live);
  });
});
