import type { DefineProgram, ProgramRule } from "@aidtrail/domain";
import { ccFigures } from "./figures.js";

const fen = (yuan: number) => yuan * 100;
/** 脱贫不脱政策: support continues three years after exit, so last year's exits are still paid. */
const common = { version: 1, postExitMonths: 36, perMember: false } as const;
const NO_SECOND_SIGNATURE = fen(500_000);

const f = ccFigures;
export const programRules = {
  "cc-household-project": { kind: "household_project", ...common, approvalThresholdFen: fen(10_000), granularity: "one_off", capPerHouseholdFen: fen(f.householdProject.capYuan) },
  "cc-equity-dividend": { kind: "enterprise_dividend", ...common, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "year" },
  "cc-loan-subsidy": { kind: "loan_interest", ...common, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "quarter" },
  "cc-loan-dividend": { kind: "loan_interest", ...common, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "year" },
  "cc-solar": { kind: "solar_subsidy", ...common, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "year", amountPerPeriodFen: fen(f.solar.annualYuan) },
  "cc-education": {
    kind: "education_aid",
    ...common,
    perMember: true,
    approvalThresholdFen: NO_SECOND_SIGNATURE,
    granularity: "half_year",
    amountPerTermFen: Object.fromEntries(Object.entries(f.education.amountPerTermYuan).map(([k, v]) => [k, fen(v)])) as Record<keyof typeof f.education.amountPerTermYuan, number>,
  },
  "cc-medical": {
    kind: "medical_aid",
    ...common,
    perMember: true,
    approvalThresholdFen: NO_SECOND_SIGNATURE,
    granularity: "year",
    scheme351: { outOfPocketCapFen: { township: fen(3_000), county: fen(5_000), city_or_above: fen(10_000) } },
    scheme180: { reimbursementShareBps: 8_000, annualLimitFen: fen(20_000) },
  },
  // Renovations above 10,000 yuan need a second signature: the generator's approver gives it.
  "cc-housing": {
    kind: "housing_renovation",
    ...common,
    approvalThresholdFen: fen(10_000),
    granularity: "one_off",
    amountPerTypeFen: Object.fromEntries(Object.entries(f.housing.amountPerTypeYuan).map(([k, v]) => [k, fen(v)])) as Record<keyof typeof f.housing.amountPerTypeYuan, number>,
  },
  "cc-dibao": { kind: "dibao", ...common, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "quarter", annualStandardPerPersonFen: fen(f.dibao.annualStandardPerPersonYuan) },
  "cc-employment": { kind: "employment_wage", ...common, perMember: true, approvalThresholdFen: NO_SECOND_SIGNATURE, granularity: "half_year", maxPerMonthFen: fen(300) },
} as const satisfies Record<string, ProgramRule>;

export type ProgramId = keyof typeof programRules;

const NAMES: Record<ProgramId, [string, string]> = {
  "cc-household-project": ["到户项目资金 (family crop and livestock farming)", "central and provincial poverty-alleviation funds"],
  "cc-equity-dividend": ["到户资金入股龙头企业分红", "enterprise dividends"],
  "cc-loan-subsidy": ["金融小额贷款贴息", "county poverty-alleviation fund"],
  "cc-loan-dividend": ["户贷企用分红", "enterprise dividends"],
  "cc-solar": ["光伏扶贫收益", "solar station income"],
  "cc-education": ["教育扶贫资助", "education department"],
  "cc-medical": ["健康扶贫 351/180", "medical insurance fund"],
  "cc-housing": ["危房改造补助", "housing department"],
  "cc-dibao": ["农村低保", "civil affairs"],
  "cc-employment": ["就业扶贫 and 公益性岗位 wages", "human resources department"],
};

/** DefineProgram data for every program of the township. */
export function programDefinitions(): Array<DefineProgram["data"]> {
  return (Object.keys(programRules) as ProgramId[]).map((programId) => {
    const rule = programRules[programId] as ProgramRule;
    const [name, fundingSource] = NAMES[programId];
    return { programId, name, kind: rule.kind, rule, fundingSource };
  });
}
