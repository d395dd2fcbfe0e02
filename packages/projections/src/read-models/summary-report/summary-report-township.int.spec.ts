import { ccSeedFigures, compareWithSeed, recordTownship } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { disbursementsProjection } from "../disbursements/projection.js";
import { householdFileProjection } from "../household-file/projection.js";
import { householdProfileProjection } from "../household-profile/projection.js";
import { programBudgetsProjection } from "../program-budgets/projection.js";
import { type ReadModelHarness, createHarness, project } from "../testing/scenario.js";
import { type SummaryReport, summaryReport } from "./summary-report.js";

let h: ReadModelHarness;
let report: SummaryReport;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  expect((await recordTownship(h.handlers, 20240630)).refused).toEqual([]);
  await project(h, [householdProfileProjection, householdFileProjection, programBudgetsProjection, disbursementsProjection], 2000);
  report = await summaryReport(h.database.db, { from: "2024-01-01", to: "2024-06-30" });
}, 600_000);
afterAll(async () => h?.close());

describe("the first-half summary report of the cc township against the printed report (cc-township.json)", () => {
  it("reproduces every printed figure, or differs only where the printed report contradicts itself, with the reading", () => {
    const comparison = compareWithSeed(report);
    expect(comparison.mismatches).toEqual([]);
    const readings = comparison.lines.filter((l) => l.verdict === "reading").map((l) => [l.figure, l.seed, l.report]);
    expect(readings).toEqual([
      ["教育扶贫 学段 primary", 209, 205],
      ["光伏扶贫 户均 元", 600, 654.55],
    ]);
    expect(comparison.lines.filter((l) => l.verdict === "match")).toHaveLength(39);
    expect(comparison.footnotes).toHaveLength(3);
  });

  it("183 households / 999,200 yuan of project funds, 117 renovations / 1,709,300 yuan by type, 366 households / 490 students, 497 loans", () => {
    const total = (id: string) => report.programs.find((p) => p.programId === id && p.villageId === null);
    expect(total("cc-household-project")).toMatchObject({ households: 183, payments: 183, amountFen: 99_920_000 });
    expect(total("cc-housing")).toMatchObject({ households: 117, amountFen: 170_930_000 });
    expect(Object.fromEntries(report.breakdowns.filter((b) => b.programId === "cc-housing").map((b) => [b.value, b.count]))).toEqual(ccSeedFigures.housing.byType);
    expect(total("cc-education")).toMatchObject({ households: 366, persons: 490, amountFen: 48_970_000 });
    expect(report.assets.loans).toEqual({ loans: 497, households: 497, principalFen: 2_468_000_000, byUse: { household: 24, enterprise: 473 } });
    expect(report.assets.stakes).toEqual({ stakes: 28, households: 28, investedFen: 27_800_000 });
    // Village rows add up to the township row.
    const villages = report.programs.filter((p) => p.programId === "cc-household-project" && p.villageId !== null);
    expect(villages).toHaveLength(12);
    expect(villages.reduce((s, v) => s + v.amountFen, 0)).toBe(99_920_000);
  });

  it("shows the solar contradiction as its own footnote (average per household is not the rate: arrears)", () => {
    expect(report.footnotes).toHaveLength(1);
    expect(report.footnotes[0]).toMatch(/光伏.*55 户 60 笔.*600\.00 元.*户均 654\.55 元.*5 户/);
  });
});
