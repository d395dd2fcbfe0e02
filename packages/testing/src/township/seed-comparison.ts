/**
 * The cc township report's figures as printed (shared/domain/cc-township.json, amounts in yuan),
 * compared with what aidtrail's summary report says. Where the printed report contradicts itself
 * the line carries the reading the generator chose (README "Readings") and a footnote says so:
 * the contradiction is shown, not smoothed over.
 */
export const ccSeedFigures = {
  registry: { households: 1091, persons: 3125, exited: { households: 324, persons: 942 }, notYetLifted: { households: 767, persons: 2183 }, plannedExit: { households: 375, persons: 1050 }, illness: 503, dibaoOrWubao: 481 },
  householdProject: { households: 183, yuan: 999_200 },
  stakes: { households: 28, investedYuan: 278_000, annualDividendYuan: 600 },
  loans: { planYuan: 12_400_000, households: 497, issuedYuan: 24_680_000, householdUse: 24, enterpriseUse: 473 },
  education: { households: 366, students: 490, byLevel: { preschool: 103, primary: 209, middle: 84, high: 43, vocational: 6, university: 49 }, paidYuan: 489_700 },
  housing: { households: 117, yuan: 1_709_300, byType: { renovateInPlace: 7, rebuildElsewhere: 9, rebuildInPlace: 59, repairReinforce: 28, newBuildNoHouse: 9, maintenance: 5 } },
  medical: { households: 653, persons: 873 },
  solar: { households: 55, yuan: 36_000, averageYuan: 600 },
} as const;

/** The part of the summary report (JSON) the comparison reads; structural, so packages/testing needs no projections. */
export interface ComparableReport {
  programs: ReadonlyArray<{ programId: string; villageId: string | null; households: number; persons: number; payments: number; amountFen: number }>;
  breakdowns: ReadonlyArray<{ programId: string; dimension: string; value: string; count: number; amountFen: number }>;
  registry: ReadonlyArray<{
    villageId: string | null;
    registeredHouseholds: number;
    registeredPersons: number;
    enrolled: { households: number; persons: number };
    plannedExit: { households: number; persons: number };
    exited: { households: number; persons: number };
    causes: Readonly<Record<string, number>>;
  }>;
  assets: { loans: { loans: number; households: number; principalFen: number; byUse: Readonly<Record<string, number>> }; stakes: { stakes: number; households: number; investedFen: number } };
  footnotes: readonly string[];
}

export interface SeedLine {
  figure: string;
  seed: number;
  report: number;
  /** Equal, or different for a documented reading of a contradiction in the printed report. */
  verdict: "match" | "reading";
  note?: string;
}

export interface SeedComparison {
  lines: SeedLine[];
  /** The printed report's contradictions, each with the reading aidtrail took. */
  footnotes: string[];
  /** Lines that differ without a documented reading: must be empty. */
  mismatches: SeedLine[];
}

/** Compares the first-half report (2024-01-01 … 2024-06-30) of the cc township with the printed figures. */
export function compareWithSeed(report: ComparableReport): SeedComparison {
  const s = ccSeedFigures;
  const total = (programId: string) => report.programs.find((p) => p.programId === programId && p.villageId === null) ?? { households: 0, persons: 0, payments: 0, amountFen: 0 };
  const count = (programId: string, value: string) => report.breakdowns.find((b) => b.programId === programId && b.value === value)?.count ?? 0;
  const reg = report.registry.find((r) => r.villageId === null);
  const yuan = (fen: number) => fen / 100;
  const lines: SeedLine[] = [];
  const line = (figure: string, seed: number, actual: number, note?: string) => lines.push({ figure, seed, report: actual, verdict: seed === actual ? "match" : "reading", ...(note ? { note } : {}) });

  line("建档立卡户数 registered households", s.registry.households, reg?.registeredHouseholds ?? 0);
  line("建档立卡人数 registered persons", s.registry.persons, reg?.registeredPersons ?? 0);
  line("已脱贫户数 exited households", s.registry.exited.households, reg?.exited.households ?? 0);
  line("已脱贫人数 exited persons", s.registry.exited.persons, reg?.exited.persons ?? 0);
  line("未脱贫户数 not yet lifted households", s.registry.notYetLifted.households, (reg?.enrolled.households ?? 0) + (reg?.plannedExit.households ?? 0));
  line("未脱贫人数 not yet lifted persons", s.registry.notYetLifted.persons, (reg?.enrolled.persons ?? 0) + (reg?.plannedExit.persons ?? 0));
  line("预脱贫户数 planned exit households", s.registry.plannedExit.households, reg?.plannedExit.households ?? 0);
  line("预脱贫人数 planned exit persons", s.registry.plannedExit.persons, reg?.plannedExit.persons ?? 0);
  line("因病致贫户数 illness", s.registry.illness, reg?.causes.illness ?? 0);
  line("低保五保户数 dibao/wubao", s.registry.dibaoOrWubao, reg?.causes.dibao_wubao ?? 0);

  line("到户项目资金 户数", s.householdProject.households, total("cc-household-project").households);
  line("到户项目资金 元", s.householdProject.yuan, yuan(total("cc-household-project").amountFen));
  line("入股龙头企业 户数", s.stakes.households, report.assets.stakes.households);
  line("入股龙头企业 元", s.stakes.investedYuan, yuan(report.assets.stakes.investedFen));
  line("入股分红 元/户", s.stakes.annualDividendYuan, yuan(Math.round(total("cc-equity-dividend").amountFen / Math.max(1, total("cc-equity-dividend").households))));
  line("小额贷款 户数", s.loans.households, report.assets.loans.households);
  line("小额贷款 元", s.loans.issuedYuan, yuan(report.assets.loans.principalFen));
  line("户贷户用 户数", s.loans.householdUse, report.assets.loans.byUse.household ?? 0);
  line("户贷企用 户数", s.loans.enterpriseUse, report.assets.loans.byUse.enterprise ?? 0);

  line("教育扶贫 户数", s.education.households, total("cc-education").households);
  line("教育扶贫 学生数", s.education.students, total("cc-education").persons);
  line("教育扶贫 元", s.education.paidYuan, yuan(total("cc-education").amountFen));
  const levels = s.education.byLevel;
  for (const [level, n] of Object.entries(levels)) {
    line(`教育扶贫 学段 ${level}`, n, count("cc-education", level), level === "primary" ? "printed by-level counts sum to 494, the total says 490: the total is kept and primary read as 205" : undefined);
  }
  line("危房改造 户数", s.housing.households, total("cc-housing").households);
  line("危房改造 元", s.housing.yuan, yuan(total("cc-housing").amountFen));
  for (const [type, n] of Object.entries(s.housing.byType)) line(`危房改造 ${type}`, n, count("cc-housing", type));
  line("健康扶贫 351 户数", s.medical.households, total("cc-medical").households);
  line("健康扶贫 351 人数", s.medical.persons, total("cc-medical").persons);
  line("光伏扶贫 户数", s.solar.households, total("cc-solar").households);
  line("光伏扶贫 元", s.solar.yuan, yuan(total("cc-solar").amountFen));
  const solar = total("cc-solar");
  line("光伏扶贫 户均 元", s.solar.averageYuan, Math.round(solar.amountFen / Math.max(1, solar.households)) / 100, "printed 'about 600' but 36,000 / 55 = 654.5: read as 600 a year, five households also paid a year of arrears");

  const levelSum = Object.values(levels).reduce((a, b) => a + b, 0);
  const footnotes = [
    `教育扶贫: 分学段人数合计 ${levelSum} 人, 与总数 ${s.education.students} 人不符; 取总数, 小学按 ${count("cc-education", "primary")} 人计. (The printed levels sum to ${levelSum}, the total is ${s.education.students}; the total is kept, primary read as ${count("cc-education", "primary")}.)`,
    `金融小额贷款: 发放 ${s.loans.issuedYuan} 元, 超出计划 ${s.loans.planYuan} 元 ${s.loans.issuedYuan - s.loans.planYuan} 元; 贷款本金为银行资金, 不计入项目预算, 故不拒付, 仅在此注明. (Issued exceeds the plan by ${s.loans.issuedYuan - s.loans.planYuan} yuan; principal is the bank's money, not a program budget.)`,
    `光伏扶贫: 报告称户均约 600 元, 实为 ${s.solar.yuan} / ${s.solar.households} = ${(s.solar.yuan / s.solar.households).toFixed(1)} 元; 按每年 600 元, 其中 ${solar.payments - solar.households} 户补发一年. (Printed "about 600"; the report's own footnote explains the arrears.)`,
  ];
  return { lines, footnotes, mismatches: lines.filter((l) => l.verdict === "reading" && !l.note) };
}
