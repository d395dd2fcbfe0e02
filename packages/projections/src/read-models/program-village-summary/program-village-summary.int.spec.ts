import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, officer, project, recordStory } from "../testing/scenario.js";
import { programVillageSummaryProjection } from "./projection.js";
import { programVillageSummary } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [programVillageSummaryProjection], 4);
});
afterAll(async () => h?.close());

describe("program × village × period summary", () => {
  it("distinct households and persons, payments and amount, net of reversals; rejected never counted", async () => {
    expect(await programVillageSummary(h.database.db)).toEqual([
      { programId: "dibao", villageId: "v1", period: "2024-01", households: 2, persons: 0, payments: 2, amountFen: 190_000 },
      { programId: "div", villageId: "v2", period: "2023", households: 1, persons: 0, payments: 1, amountFen: 60_000 },
      { programId: "edu", villageId: "v1", period: "2024-H1", households: 2, persons: 2, payments: 2, amountFen: 100_000 },
      { programId: "grant", villageId: "v1", period: "once", households: 1, persons: 0, payments: 1, amountFen: 550_000 },
      { programId: "loan-div", villageId: "v2", period: "2024", households: 1, persons: 0, payments: 1, amountFen: 350_000 },
      { programId: "loan-sub", villageId: "v2", period: "2023-Q2", households: 1, persons: 0, payments: 1, amountFen: expect.any(Number) },
    ]);
  });

  it("a reversal removes a household from its group, and the group when it was the last", async () => {
    await h.handlers.reverseDisbursement({ disbursementId: "e-h2-p3", reason: "left school" }, officer());
    await h.handlers.reverseDisbursement({ disbursementId: "g-h1", reason: "project cancelled" }, officer());
    await project(h, [programVillageSummaryProjection], 1);
    expect(await programVillageSummary(h.database.db, { programId: "edu" })).toEqual([
      { programId: "edu", villageId: "v1", period: "2024-H1", households: 1, persons: 1, payments: 1, amountFen: 50_000 },
    ]);
    expect(await programVillageSummary(h.database.db, { programId: "grant" })).toEqual([]);
    expect((await programVillageSummary(h.database.db, { periods: ["2024-01", "2023"] })).map((r) => r.programId)).toEqual(["dibao", "div"]);
  });
});
