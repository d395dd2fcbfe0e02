import { describe, expect, it } from "vitest";
import { buildTownship } from "./build-township.js";
import { ccFigures } from "./figures.js";

const yuan = (fen: number) => fen / 100;

describe("township generator: the cc township of cc-township.json as commands", () => {
  const plan = buildTownship(20240630);
  const commands = plan.phases.flatMap((p) => p.commands);

  it("is deterministic from its seed, and another seed gives another township", () => {
    expect(JSON.stringify(buildTownship(20240630))).toBe(JSON.stringify(plan));
    expect(JSON.stringify(buildTownship(7))).not.toBe(JSON.stringify(plan));
  });

  it("has 12 villages, 1,091 households, 3,125 members, and the report's causes and statuses", () => {
    expect(new Set(plan.households.map((h) => h.villageId)).size).toBe(12);
    expect(plan.households).toHaveLength(ccFigures.households);
    expect(plan.households.reduce((s, h) => s + h.members.length, 0)).toBe(ccFigures.persons);
    expect(plan.households.filter((h) => h.povertyCause === "illness")).toHaveLength(503);
    expect(plan.households.filter((h) => h.povertyCause === "dibao_wubao")).toHaveLength(481);
    const to = (status: string) => commands.filter((c) => c.kind === "changeHouseholdStatus" && c.data.to === status).map((c) => (c.data as { householdId: string }).householdId);
    const sizeOf = new Map(plan.households.map((h) => [h.householdId, h.members.length]));
    const exited = to("exited");
    expect(exited).toHaveLength(324);
    expect(exited.reduce((s, id) => s + (sizeOf.get(id) ?? 0), 0)).toBe(942);
    const planned = to("pre_exit").filter((id) => !exited.includes(id));
    expect(planned).toHaveLength(375);
    expect(planned.reduce((s, id) => s + (sizeOf.get(id) ?? 0), 0)).toBe(1050);
  });

  it("pays what the report says", () => {
    const e = plan.expected;
    expect(e["cc-household-project"]).toMatchObject({ payments: 183, households: 183 });
    expect(yuan(e["cc-household-project"]!.totalFen)).toBe(999_200);
    expect(e["cc-equity-dividend"]).toMatchObject({ payments: 28, totalFen: 28 * 60_000 });
    expect(e["cc-loan-dividend"]).toMatchObject({ payments: 473, totalFen: 473 * 350_000 });
    expect(e["cc-loan-subsidy"]).toMatchObject({ payments: 497 });
    expect(e["cc-education"]).toMatchObject({ payments: 490, households: 366, beneficiaries: 490 });
    expect(yuan(e["cc-education"]!.totalFen)).toBe(489_700);
    expect(e["cc-housing"]).toMatchObject({ payments: 117, households: 117 });
    expect(yuan(e["cc-housing"]!.totalFen)).toBe(1_709_300);
    expect(e["cc-solar"]).toMatchObject({ households: 55, totalFen: 3_600_000 });
    expect(e["cc-medical"]).toMatchObject({ payments: 873, households: 653, beneficiaries: 873 });
    expect(e["cc-employment"]).toMatchObject({ payments: 251, beneficiaries: 251 });
    expect(e["cc-dibao"]).toMatchObject({ payments: 962, households: 481 });
    const stakes = commands.filter((c) => c.kind === "recordStake").map((c) => c.data as { investedFen: number });
    expect(stakes).toHaveLength(28);
    expect(yuan(stakes.reduce((s, x) => s + x.investedFen, 0))).toBe(278_000);
    const loans = commands.filter((c) => c.kind === "recordLoan").map((c) => c.data as { principalFen: number; use: string });
    expect(loans.filter((l) => l.use === "household")).toHaveLength(24);
    expect(loans.filter((l) => l.use === "enterprise")).toHaveLength(473);
    expect(yuan(loans.reduce((s, x) => s + x.principalFen, 0))).toBe(24_680_000);
  });

  it("uses only integer fen", () => {
    const amounts = commands.filter((c) => c.kind === "recordDisbursement").map((c) => (c.data as { amountFen: number }).amountFen);
    expect(amounts.every((a) => Number.isSafeInteger(a) && a > 0)).toBe(true);
  });
});
