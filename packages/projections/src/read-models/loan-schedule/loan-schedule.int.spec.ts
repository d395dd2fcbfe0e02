import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, project, recordStory } from "../testing/scenario.js";
import { loanScheduleProjection } from "./projection.js";
import { granularityOfPeriod, loanSchedule, loansOfHousehold } from "./queries.js";

let h: ReadModelHarness;
let story: Awaited<ReturnType<typeof recordStory>>;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  story = await recordStory(h);
  await project(h, [loanScheduleProjection], 6);
});
afterAll(async () => h?.close());

describe("loan schedule", () => {
  it("interest-subsidy periods cut at the paying program's granularity, paid or overdue", async () => {
    const s = await loanSchedule(h.database.db, "l-h3", { asOf: "2023-12-31" });
    expect(s?.granularity).toBe("quarter");
    expect(s?.maturesOn).toBe("2026-03-01");
    expect(s?.interestSubsidy.slice(0, 4).map((p) => [p.period, p.from, p.to, p.status, p.paidBy])).toEqual([
      ["2023-Q1", "2023-03-01", "2023-04-01", "overdue", null],
      ["2023-Q2", "2023-04-01", "2023-07-01", "paid", "ls-h3-q2"],
      ["2023-Q3", "2023-07-01", "2023-10-01", "overdue", null],
      ["2023-Q4", "2023-10-01", "2024-01-01", "due", null],
    ]);
    expect(s?.interestSubsidy[1]?.amountFen).toBe(story.loanSubsidyQ2Fen);
    expect(s?.interestSubsidy.reduce((n, p) => n + p.days, 0)).toBe(1096);
  });

  it("enterprise-use dividends on each anniversary, with the payment that settled one", async () => {
    const s = await loanSchedule(h.database.db, "l-h3", { asOf: "2025-03-02" });
    expect(s?.dividends).toEqual([
      { period: "2024", dueOn: "2024-03-01", amountFen: 350_000, status: "paid", paidBy: "ld-h3-2024" },
      { period: "2025", dueOn: "2025-03-01", amountFen: 350_000, status: "overdue", paidBy: null },
      { period: "2026", dueOn: "2026-03-01", amountFen: 350_000, status: "due", paidBy: null },
    ]);
  });

  it("finds a household's loans; a granularity may be asked for; unknown loans are null", async () => {
    expect(await loansOfHousehold(h.database.db, "h3")).toEqual(["l-h3"]);
    expect((await loanSchedule(h.database.db, "l-h3", { asOf: "2024-01-01", granularity: "year" }))?.interestSubsidy.map((p) => p.period)).toEqual(["2023", "2024", "2025", "2026"]);
    expect(await loanSchedule(h.database.db, "nope", { asOf: "2024-01-01" })).toBeNull();
    expect(["2024-03", "2024-Q1", "2024-H2", "2024", "once", "x"].map(granularityOfPeriod)).toEqual(["month", "quarter", "half_year", "year", "one_off", null]);
  });
});
