import { describe, expect, it } from "vitest";
import { householdDecider } from "../household/household-decider.js";
import type { Member } from "../household/household-member.js";
import type { RegisteredHousehold } from "../household/household-state.js";
import type { RecordedLoan } from "../loan/loan.js";
import { replay } from "../shared/decider.js";
import { InputsInvalid, LoanNotFound, MemberNotStudent, NotCovered, PeriodInvalid, StakeNotFound } from "../shared/errors.js";
import { periodsPerYear } from "../shared/period.js";
import type { RecordedStake } from "../stake/stake.js";
import { householdRegistered, member, rules } from "../testing/fixtures.js";
import { computeAmount } from "./compute-amount.js";
import type { DisbursementInputs, ProgramRule } from "./program-rule.js";
import { RenovationType } from "./rules/housing-renovation.js";
import { SchoolLevel } from "../household/household-member.js";

const household = replay(householdDecider, [householdRegistered()]) as RegisteredHousehold;
const withMembers = (n: number) =>
  replay(householdDecider, [householdRegistered({ members: Array.from({ length: n }, (_, i) => member(`p${i + 1}`)) })]) as RegisteredHousehold;
const p3 = household.members[2] as Member;

function compute(
  rule: ProgramRule,
  periodText: string,
  inputs: DisbursementInputs = { kind: rule.kind } as DisbursementInputs,
  extra: { member?: Member | null; household?: RegisteredHousehold; stake?: RecordedStake | null; loan?: RecordedLoan | null } = {},
) {
  return computeAmount(rule, {
    periodText,
    household: extra.household ?? household,
    member: extra.member === undefined ? null : extra.member,
    inputs,
    stake: extra.stake ?? null,
    loan: extra.loan ?? null,
  });
}

describe("computeAmount", () => {
  it("records the rule version in the inputs", () => {
    expect(compute({ ...rules.solar_subsidy, version: 3 }, "2024-H1").inputs.ruleVersion).toBe(3);
  });

  describe("household_project: a cap per household", () => {
    it("gives capPerHouseholdFen as an upper bound", () => {
      expect(compute(rules.household_project, "once")).toMatchObject({ mode: "up_to", amountFen: 600_000 });
      expect(compute({ ...rules.household_project, capPerHouseholdFen: 12_345 }, "once").amountFen).toBe(12_345);
    });
    it("a one-off program takes the period 'once'", () => {
      expect(() => compute(rules.household_project, "2024")).toThrow(PeriodInvalid);
    });
  });

  describe("enterprise_dividend: the stake's annual dividend, for its years", () => {
    const stake: RecordedStake = {
      status: "recorded",
      stakeId: "s1",
      householdId: "h1",
      enterprise: "利达现代农业公司",
      investedFen: 1_000_000,
      annualDividendFen: 60_000,
      firstYear: 2023,
      years: 3,
    };
    const inputs = { kind: "enterprise_dividend", stakeId: "s1" } as const;
    it("pays annualDividendFen exactly in the first and last year", () => {
      expect(compute(rules.enterprise_dividend, "2023", inputs, { stake })).toMatchObject({ mode: "exact", amountFen: 60_000 });
      expect(compute(rules.enterprise_dividend, "2025", inputs, { stake: { ...stake, annualDividendFen: 350_000 } }).amountFen).toBe(350_000);
    });
    it("refuses years outside firstYear..firstYear+years−1", () => {
      expect(() => compute(rules.enterprise_dividend, "2022", inputs, { stake })).toThrow(NotCovered);
      expect(() => compute(rules.enterprise_dividend, "2026", inputs, { stake })).toThrow(NotCovered);
    });
    it("needs the named stake", () => {
      expect(() => compute(rules.enterprise_dividend, "2023", inputs)).toThrow(StakeNotFound);
      expect(() => compute(rules.enterprise_dividend, "2023", { ...inputs, stakeId: "s2" }, { stake })).toThrow(StakeNotFound);
    });
  });

  describe("loan_interest: ACT/365 interest subsidy per period, dividend per year for enterprise use", () => {
    const loan: RecordedLoan = {
      status: "recorded",
      loanId: "l1",
      householdId: "h1",
      principalFen: 5_000_000,
      annualRateBps: 435,
      termMonths: 12,
      use: "enterprise",
      issuedOn: "2024-01-01",
      subsidyShareBps: 10_000,
      annualDividendFen: 350_000,
    };
    const subsidy = { kind: "loan_interest", loanId: "l1", component: "interest_subsidy" } as const;
    it("2024-Q1 has 91 days: 5,000,000 × 4.35% × 91/365 = 54,226.03 → 54,226 fen", () => {
      const r = compute(rules.loan_interest, "2024-Q1", subsidy, { loan });
      expect(r).toMatchObject({ mode: "exact", amountFen: 54_226 });
      expect(r.inputs).toMatchObject({ days: 91, interestFen: 54_226, dayCount: "ACT/365F", from: "2024-01-01", to: "2024-04-01" });
    });
    it("subsidyShareBps subsidises a share of the interest, floored", () => {
      expect(compute(rules.loan_interest, "2024-Q1", subsidy, { loan: { ...loan, subsidyShareBps: 5_000 } }).amountFen).toBe(27_113);
    });
    it("annualRateBps and principalFen scale the interest", () => {
      expect(compute(rules.loan_interest, "2024-Q1", subsidy, { loan: { ...loan, annualRateBps: 870 } }).amountFen).toBe(108_452);
      expect(compute(rules.loan_interest, "2024-Q1", subsidy, { loan: { ...loan, principalFen: 10_000_000 } }).amountFen).toBe(108_452);
    });
    it("periods outside the term are not covered", () => {
      expect(() => compute(rules.loan_interest, "2025-Q1", subsidy, { loan })).toThrow(NotCovered);
    });
    it("the enterprise-use dividend falls on the anniversary year", () => {
      const dividend = { ...subsidy, component: "dividend" } as const;
      expect(compute(rules.loan_interest, "2025", dividend, { loan })).toMatchObject({ mode: "exact", amountFen: 350_000 });
      expect(() => compute(rules.loan_interest, "2024", dividend, { loan })).toThrow(NotCovered);
      const householdUse = { ...loan, use: "household" as const, annualDividendFen: null };
      expect(() => compute(rules.loan_interest, "2025", dividend, { loan: householdUse })).toThrow(InputsInvalid);
    });
    it("needs the named loan", () => {
      expect(() => compute(rules.loan_interest, "2024-Q1", subsidy)).toThrow(LoanNotFound);
    });
  });

  describe("solar_subsidy: a fixed amount per period", () => {
    it("gives amountPerPeriodFen exactly", () => {
      expect(compute(rules.solar_subsidy, "2024-H2")).toMatchObject({ mode: "exact", amountFen: 30_000 });
      expect(compute({ ...rules.solar_subsidy, amountPerPeriodFen: 65_450 }, "2024-H1").amountFen).toBe(65_450);
    });
    it("refuses a period of another granularity", () => {
      expect(() => compute(rules.solar_subsidy, "2024-Q1")).toThrow(PeriodInvalid);
    });
  });

  describe("education_aid: amount per school level per term", () => {
    it.each(SchoolLevel.options)("pays the %s amount", (level) => {
      const amountPerTermFen = { ...rules.education_aid.amountPerTermFen, [level]: 77_700 };
      const student = { ...p3, schoolLevel: level };
      expect(compute({ ...rules.education_aid, amountPerTermFen }, "2024-H2", undefined, { member: student })).toMatchObject({
        mode: "exact",
        amountFen: 77_700,
        inputs: { schoolLevel: level, memberId: "p3" },
      });
    });
    it("refuses a member with no school level", () => {
      expect(() => compute(rules.education_aid, "2024-H2", undefined, { member: household.members[0] as Member })).toThrow(MemberNotStudent);
    });
    it("a level the rule funds with 0 is not covered", () => {
      const amountPerTermFen = { ...rules.education_aid.amountPerTermFen, primary: 0 };
      expect(() => compute({ ...rules.education_aid, amountPerTermFen }, "2024-H2", undefined, { member: p3 })).toThrow(NotCovered);
    });
  });

  describe("medical_aid: 351 caps the out-of-pocket cost by hospital level, 180 reimburses a share of the rest", () => {
    const claim = (outOfPocketFen: number, hospitalLevel: "township" | "county" | "city_or_above", reimbursed180ThisYearFen = 0) =>
      ({ kind: "medical_aid", claimId: "c1", hospitalLevel, outOfPocketFen, reimbursed180ThisYearFen }) as const;
    const m = (outOfPocketFen: number, level: "township" | "county" | "city_or_above", already = 0, rule: ProgramRule = rules.medical_aid) =>
      compute(rule, "2024", claim(outOfPocketFen, level, already), { member: p3 });

    it("township cap 300 yuan: 1,000 yuan cost → 351 pays 700, 180 pays 80% of 300 = 240 → 940 yuan", () => {
      expect(m(100_000, "township")).toMatchObject({ mode: "exact", amountFen: 94_000, inputs: { paid351Fen: 70_000, paid180Fen: 24_000 } });
    });
    it("county cap 500 yuan and city-or-above cap 1,000 yuan", () => {
      expect(m(100_000, "county")).toMatchObject({ amountFen: 90_000, inputs: { paid351Fen: 50_000, paid180Fen: 40_000 } });
      expect(m(100_000, "city_or_above")).toMatchObject({ amountFen: 80_000, inputs: { paid351Fen: 0, paid180Fen: 80_000 } });
    });
    it("exactly at the cap 351 pays nothing; one fen above it pays one fen", () => {
      expect(m(30_000, "township").inputs).toMatchObject({ paid351Fen: 0, paid180Fen: 24_000 });
      expect(m(30_001, "township").inputs).toMatchObject({ paid351Fen: 1, paid180Fen: 24_000 });
    });
    it("the 180 share is in basis points and floored to fen", () => {
      expect(m(12_347, "township").inputs).toMatchObject({ paid180Fen: 9_877 }); // 9,877.6
      const half = { ...rules.medical_aid, scheme180: { ...rules.medical_aid.scheme180, reimbursementShareBps: 5_000 } };
      expect(m(12_347, "township", 0, half).inputs).toMatchObject({ paid180Fen: 6_173 }); // 6,173.5
    });
    it("180 stops at its annual limit: with 10,000 fen of room left, 24,000 becomes 10,000; with none, 0", () => {
      expect(m(100_000, "township", 1_990_000).inputs).toMatchObject({ paid351Fen: 70_000, paid180Fen: 10_000 });
      expect(m(100_000, "township", 2_000_000).inputs).toMatchObject({ paid180Fen: 0 });
      expect(m(100_000, "township", 2_500_000).amountFen).toBe(70_000);
    });
    it("nothing to reimburse is not covered", () => {
      expect(() => m(0, "township")).toThrow(NotCovered);
    });
    it("needs the patient", () => {
      expect(() => compute(rules.medical_aid, "2024", claim(100, "county"))).toThrow(InputsInvalid);
    });
  });

  describe("housing_renovation: amount per renovation type", () => {
    it.each(RenovationType.options.filter((t) => t !== "maintenance"))("pays the %s amount", (renovationType) => {
      expect(compute(rules.housing_renovation, "once", { kind: "housing_renovation", renovationType })).toMatchObject({
        mode: "exact",
        amountFen: rules.housing_renovation.amountPerTypeFen[renovationType],
        inputs: { renovationType },
      });
    });
    it("a type the rule funds with 0 (maintenance here) is not covered", () => {
      expect(() => compute(rules.housing_renovation, "once", { kind: "housing_renovation", renovationType: "maintenance" })).toThrow(NotCovered);
    });
    it("inputs for another kind are refused", () => {
      expect(() => compute(rules.housing_renovation, "once", { kind: "dibao" })).toThrow(InputsInvalid);
    });
  });

  describe("dibao: annual standard per person × members, split per period", () => {
    it("3 members × 3,800 yuan = 11,400 yuan a year = 950 yuan a month", () => {
      expect(compute(rules.dibao, "2024-03")).toMatchObject({ mode: "exact", amountFen: 95_000, inputs: { members: 3, annualFen: 1_140_000 } });
    });
    it("7 members: 26,600 yuan / 12 floors to 2,216.66; December carries the 8 fen remainder", () => {
      const seven = withMembers(7);
      expect(compute(rules.dibao, "2024-11", undefined, { household: seven }).amountFen).toBe(221_666);
      expect(compute(rules.dibao, "2024-12", undefined, { household: seven })).toMatchObject({ amountFen: 221_674, inputs: { remainderFen: 8 } });
    });
    it("the standard per person is a parameter", () => {
      expect(compute({ ...rules.dibao, annualStandardPerPersonFen: 400_000 }, "2024-01").amountFen).toBe(100_000);
    });
    for (const granularity of ["month", "quarter", "half_year", "year"] as const) {
      it(`a year of ${granularity} payments sums exactly to standard × members, for 1..10 members and an odd standard`, () => {
        for (let n = 1; n <= 10; n++) {
          for (const standard of [380_000, 380_001, 379_999, 7]) {
            const rule = { ...rules.dibao, granularity, annualStandardPerPersonFen: standard };
            const h = withMembers(n);
            const texts = Array.from({ length: periodsPerYear(granularity) }, (_, i) =>
              granularity === "month" ? `2024-${String(i + 1).padStart(2, "0")}` : granularity === "quarter" ? `2024-Q${i + 1}` : granularity === "half_year" ? `2024-H${i + 1}` : "2024",
            );
            const amounts = texts.map((t) => compute(rule, t, undefined, { household: h }).amountFen);
            expect(amounts.reduce((a, b) => a + b, 0)).toBe(standard * n);
            for (const a of amounts) expect(Number.isSafeInteger(a)).toBe(true);
          }
        }
      });
    }
  });

  describe("employment_wage: up to maxPerMonthFen per month of the period", () => {
    it("a monthly rule caps at maxPerMonthFen", () => {
      expect(compute(rules.employment_wage, "2024-05", { kind: "employment_wage", post: "forest ranger" }, { member: p3 })).toMatchObject({
        mode: "up_to",
        amountFen: 25_000,
        inputs: { post: "forest ranger", months: 1 },
      });
    });
    it("a quarterly rule caps at 3 × maxPerMonthFen, a yearly one at 12 ×", () => {
      expect(compute({ ...rules.employment_wage, granularity: "quarter" }, "2024-Q2").amountFen).toBe(75_000);
      expect(compute({ ...rules.employment_wage, granularity: "year", maxPerMonthFen: 25_000 }, "2024").amountFen).toBe(300_000);
    });
  });
});
