import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, officer, project, recordStory } from "../testing/scenario.js";
import { dividendScheduleProjection } from "./projection.js";
import { dividendSchedule } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [dividendScheduleProjection], 4);
});
afterAll(async () => h?.close());

describe("dividend schedule", () => {
  it("one row per stake and year, paid by its disbursement, due or overdue as of the date asked", async () => {
    const stake = await dividendSchedule(h.database.db, { householdId: "h3", sourceId: "s-h3", asOf: "2025-01-01" });
    expect(stake.map((d) => [d.year, d.dueOn, d.amountFen, d.status, d.paidBy])).toEqual([
      [2023, "2023-12-31", 60_000, "paid", "div-h3-2023"],
      [2024, "2024-12-31", 60_000, "overdue", null],
      [2025, "2025-12-31", 60_000, "due", null],
    ]);
    // The same rows judged on another date: status is the query's, not stored.
    expect((await dividendSchedule(h.database.db, { sourceId: "s-h3", asOf: "2024-12-31" })).map((d) => d.status)).toEqual(["paid", "due", "due"]);
  });

  it("includes enterprise-use loan dividends on each anniversary", async () => {
    const loan = await dividendSchedule(h.database.db, { sourceId: "l-h3", asOf: "2025-06-01" });
    expect(loan.map((d) => [d.source, d.period, d.dueOn, d.amountFen, d.status, d.paidBy])).toEqual([
      ["loan", "2024", "2024-03-01", 350_000, "paid", "ld-h3-2024"],
      ["loan", "2025", "2025-03-01", 350_000, "overdue", null],
      ["loan", "2026", "2026-03-01", 350_000, "due", null],
    ]);
    expect((await dividendSchedule(h.database.db, { householdId: "h3", status: "overdue", asOf: "2025-06-01" })).map((d) => d.sourceId)).toEqual(["l-h3", "s-h3"]);
  });

  it("a reversed dividend is owed again", async () => {
    await h.handlers.reverseDisbursement({ disbursementId: "div-h3-2023", reason: "wrong account" }, officer());
    await project(h, [dividendScheduleProjection], 4);
    const [y2023] = await dividendSchedule(h.database.db, { sourceId: "s-h3", asOf: "2024-06-30" });
    expect(y2023).toMatchObject({ year: 2023, status: "overdue", paidBy: null });
  });
});
