import type { HouseholdRegistered } from "../household/household-events.js";
import type { Member } from "../household/household-member.js";
import type { ProgramDefined } from "../program/program-events.js";
import type { ProgramRule } from "../program/program-rule.js";
import type { SealedPii } from "../shared/sealed-pii.js";

/** A sealed national id as the handler would produce it (the domain never sees clear PII). */
export function sealed(tag: string): SealedPii {
  return { sealed: `ciphertext:${tag}`, blindIndex: `bi:${tag}`, masked: `3201**********${tag.slice(-4).padStart(4, "0")}` };
}

export function member(memberId: string, overrides: Partial<Member> = {}): Member {
  return {
    memberId,
    name: `name-${memberId}`,
    nationalId: sealed(memberId),
    birthDate: "1980-05-01",
    relation: "head",
    schoolLevel: null,
    health: "healthy",
    ...overrides,
  };
}

/** Household h1 in village v1 with three members: head p1, spouse p2, child p3 in primary school. */
export function householdRegistered(overrides: Partial<HouseholdRegistered["data"]> = {}): HouseholdRegistered {
  return {
    type: "HouseholdRegistered",
    data: {
      householdId: "h1",
      villageId: "v1",
      headMemberId: "p1",
      members: [
        member("p1"),
        member("p2", { relation: "spouse", health: "chronic_illness" }),
        member("p3", { relation: "child", birthDate: "2014-09-01", schoolLevel: "primary" }),
      ],
      povertyCause: "illness",
      registeredOn: "2023-01-10",
      ...overrides,
    },
  };
}

const common = { version: 1, approvalThresholdFen: 500_000, postExitMonths: 0, perMember: false } as const;

/** One rule per kind, with the report's figures where it gives them (amounts in fen). */
export const rules = {
  household_project: { kind: "household_project", ...common, granularity: "one_off", capPerHouseholdFen: 600_000 },
  enterprise_dividend: { kind: "enterprise_dividend", ...common, granularity: "year" },
  loan_interest: { kind: "loan_interest", ...common, granularity: "quarter" },
  solar_subsidy: { kind: "solar_subsidy", ...common, granularity: "half_year", amountPerPeriodFen: 30_000 },
  education_aid: {
    kind: "education_aid",
    ...common,
    granularity: "half_year",
    perMember: true,
    amountPerTermFen: { preschool: 50_000, primary: 62_500, middle: 62_500, high: 100_000, vocational: 100_000, university: 250_000, yulu: 150_000 },
  },
  medical_aid: {
    kind: "medical_aid",
    ...common,
    granularity: "year",
    perMember: true,
    scheme351: { outOfPocketCapFen: { township: 30_000, county: 50_000, city_or_above: 100_000 } },
    scheme180: { reimbursementShareBps: 8_000, annualLimitFen: 2_000_000 },
  },
  housing_renovation: {
    kind: "housing_renovation",
    ...common,
    granularity: "one_off",
    amountPerTypeFen: {
      renovateInPlace: 1_000_000,
      rebuildElsewhere: 2_000_000,
      rebuildInPlace: 1_600_000,
      repairReinforce: 800_000,
      newBuildNoHouse: 2_500_000,
      maintenance: 0,
    },
  },
  dibao: { kind: "dibao", ...common, granularity: "month", annualStandardPerPersonFen: 380_000 },
  employment_wage: { kind: "employment_wage", ...common, granularity: "month", perMember: true, maxPerMonthFen: 25_000 },
} as const satisfies { [K in ProgramRule["kind"]]: Extract<ProgramRule, { kind: K }> };

export function programDefined(rule: ProgramRule, programId = `prog-${rule.kind}`): ProgramDefined {
  return { type: "ProgramDefined", data: { programId, name: `program ${rule.kind}`, kind: rule.kind, rule, fundingSource: "central" } };
}
