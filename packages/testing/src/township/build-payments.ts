import { type DisbursementRequest, type LoanRecorded, type StakeRecorded, loanSchedule } from "@aidtrail/domain";
import type { GeneratedHousehold } from "./build-households.js";
import { type ProgramId, programRules } from "./build-programs.js";
import { ccFigures } from "./figures.js";
import type { Prng } from "./prng.js";
import { dateBetween, splitTotal } from "./split-total.js";

const fen = (yuan: number) => yuan * 100;

export interface PaymentPlan {
  stakes: Array<StakeRecorded["data"]>;
  loans: Array<LoanRecorded["data"]>;
  payments: DisbursementRequest[];
}

/** Every asset and payment of the report's half-year (2024-H1), with amounts the rules give exactly. */
export function buildPayments(rng: Prng, households: readonly GeneratedHousehold[]): PaymentPlan {
  const f = ccFigures;
  const payments: DisbursementRequest[] = [];
  const seq = new Map<string, number>();
  const pay = (programId: ProgramId, h: GeneratedHousehold, rest: Omit<DisbursementRequest, "disbursementId" | "householdId" | "programId" | "channel" | "reference">) => {
    const n = (seq.get(programId) ?? 0) + 1;
    seq.set(programId, n);
    const disbursementId = `${programId}-${String(n).padStart(5, "0")}`;
    payments.push({ disbursementId, householdId: h.household.householdId, programId, channel: "one_card", reference: `一卡通-${disbursementId}`, ...rest });
  };
  const sample = (n: number, from: readonly GeneratedHousehold[] = households) => rng.shuffle(from).slice(0, n);

  // 到户项目: 183 households, 999,200 yuan, each at most the 6,000-yuan cap.
  const projectAmounts = splitTotal(rng, f.householdProject.totalYuan, f.householdProject.households, 3_000, f.householdProject.capYuan, 100);
  sample(f.householdProject.households).forEach((h, i) => {
    pay("cc-household-project", h, { period: "once", amountFen: fen(projectAmounts[i]!), paidOn: dateBetween(rng, "2024-03-01", "2024-05-31") });
  });

  // 入股: 28 stakes, 278,000 yuan invested, 600 yuan a year from 2023; the 2023 dividend is paid in January.
  const invested = splitTotal(rng, f.stakes.investedYuan, f.stakes.households, 5_000, 15_000, 1_000);
  const stakes = sample(f.stakes.households).map((h, i): StakeRecorded["data"] => ({
    stakeId: `cc-stake-${String(i + 1).padStart(3, "0")}`,
    householdId: h.household.householdId,
    enterprise: f.stakes.enterprises[i % 2]!,
    investedFen: fen(invested[i]!),
    annualDividendFen: fen(f.stakes.annualDividendYuan),
    firstYear: 2023,
    years: 3,
  }));
  for (const s of stakes) {
    const h = households.find((x) => x.household.householdId === s.householdId)!;
    pay("cc-equity-dividend", h, { period: "2023", amountFen: s.annualDividendFen, paidOn: "2024-01-20", inputs: { kind: "enterprise_dividend", stakeId: s.stakeId } });
  }

  // 小额贷款: 497 loans of 24,680,000 yuan (463 × 50,000 + 34 × 45,000); 24 household use, 473 enterprise use.
  const loanHouseholds = sample(f.loans.households);
  const uses = rng.shuffle([...Array<"household">(f.loans.householdUse).fill("household"), ...Array<"enterprise">(f.loans.enterpriseUse).fill("enterprise")]);
  const smaller = (f.loans.households * 50_000 - f.loans.issuedYuan) / 5_000;
  const loans = loanHouseholds.map((h, i): LoanRecorded["data"] => {
    const use = uses[i]!;
    return {
      loanId: `cc-loan-${String(i + 1).padStart(3, "0")}`,
      householdId: h.household.householdId,
      principalFen: fen(i < smaller ? 45_000 : 50_000),
      annualRateBps: 435,
      termMonths: 36,
      use,
      issuedOn: dateBetween(rng, "2023-01-05", "2023-05-31"),
      subsidyShareBps: 10_000,
      annualDividendFen: use === "enterprise" ? fen(f.loans.annualDividendYuan) : null,
    };
  });
  loans.forEach((loan, i) => {
    const h = loanHouseholds[i]!;
    const q1 = loanSchedule(loan, programRules["cc-loan-subsidy"].granularity).interestSubsidy.find((p) => p.period === "2024-Q1")!;
    pay("cc-loan-subsidy", h, { period: "2024-Q1", amountFen: q1.subsidyFen, paidOn: q1.to, inputs: { kind: "loan_interest", loanId: loan.loanId, component: "interest_subsidy" } });
    if (loan.use === "enterprise") {
      const due = loanSchedule(loan, "year").dividends.find((d) => d.period === "2024")!;
      pay("cc-loan-dividend", h, { period: "2024", amountFen: due.amountFen, paidOn: due.dueOn, inputs: { kind: "loan_interest", loanId: loan.loanId, component: "dividend" } });
    }
  });

  // 教育: 490 students in 366 households, one term (2024-H1).
  const perTerm = programRules["cc-education"].amountPerTermFen;
  for (const h of households) {
    for (const s of h.students) {
      pay("cc-education", h, { memberId: s.memberId, period: "2024-H1", amountFen: perTerm[s.level], paidOn: dateBetween(rng, "2024-03-01", "2024-05-31") });
    }
  }

  // 危房改造: 117 households by type.
  const types = rng.shuffle(Object.entries(f.housing.byType).flatMap(([type, n]) => Array<keyof typeof f.housing.byType>(n).fill(type as keyof typeof f.housing.byType)));
  sample(f.housing.households).forEach((h, i) => {
    const renovationType = types[i]!;
    pay("cc-housing", h, {
      period: "once",
      amountFen: programRules["cc-housing"].amountPerTypeFen[renovationType],
      paidOn: dateBetween(rng, "2024-02-01", "2024-06-15"),
      inputs: { kind: "housing_renovation", renovationType },
    });
  });

  // 健康: 873 persons of 653 households, one claim each (illness households first).
  const illFirst = [...rng.shuffle(households.filter((h) => h.household.povertyCause === "illness")), ...rng.shuffle(households.filter((h) => h.household.povertyCause !== "illness"))];
  const medicalHouseholds = illFirst.slice(0, f.medical.households);
  const secondPatient = new Set(rng.shuffle(medicalHouseholds.filter((h) => h.household.members.length >= 2)).slice(0, f.medical.persons - f.medical.households));
  const medical = programRules["cc-medical"];
  for (const h of medicalHouseholds) {
    for (const m of h.household.members.slice(0, secondPatient.has(h) ? 2 : 1)) {
      const hospitalLevel = rng.pick(["township", "county", "city_or_above"] as const);
      const outOfPocketFen = fen(rng.int(5, 300) * 100);
      const paid351 = Math.max(0, outOfPocketFen - medical.scheme351.outOfPocketCapFen[hospitalLevel]);
      const paid180 = Math.min(Math.floor(((outOfPocketFen - paid351) * medical.scheme180.reimbursementShareBps) / 10_000), medical.scheme180.annualLimitFen);
      pay("cc-medical", h, {
        memberId: m.memberId,
        period: "2024",
        amountFen: paid351 + paid180,
        paidOn: dateBetween(rng, "2024-01-10", "2024-05-31"),
        inputs: { kind: "medical_aid", claimId: `claim-${h.household.householdId}-${m.memberId.slice(-2)}`, hospitalLevel, outOfPocketFen, reimbursed180ThisYearFen: 0 },
      });
    }
  }

  // 光伏: 55 households paid 36,000 yuan: 600 a year for 2023, five also for 2022 (arrears).
  sample(f.solar.householdsPaid).forEach((h, i) => {
    const years = i < f.solar.householdsWithArrears ? ["2022", "2023"] : ["2023"];
    for (const period of years) pay("cc-solar", h, { period, amountFen: fen(f.solar.annualYuan), paidOn: dateBetween(rng, "2024-02-01", "2024-04-30") });
  });

  // 就业: 251 working adults (placements and two forest rangers), 1,500 yuan for the half-year.
  const adults = rng.shuffle(households.flatMap((h) => h.adults.map((memberId) => ({ h, memberId })))).slice(0, f.employment.persons);
  for (const { h, memberId } of adults) {
    pay("cc-employment", h, { memberId, period: "2024-H1", amountFen: fen(f.employment.halfYearYuan), paidOn: "2024-06-28", inputs: { kind: "employment_wage" } });
  }

  // 低保: the 481 dibao/wubao households, 3,800 yuan a person a year, paid quarterly (Q1, Q2).
  for (const h of households.filter((x) => x.household.povertyCause === "dibao_wubao")) {
    const annual = programRules["cc-dibao"].annualStandardPerPersonFen * h.household.members.length;
    pay("cc-dibao", h, { period: "2024-Q1", amountFen: Math.floor(annual / 4), paidOn: "2024-03-25" });
    pay("cc-dibao", h, { period: "2024-Q2", amountFen: Math.floor(annual / 4), paidOn: "2024-06-25" });
  }

  return { stakes, loans, payments: rng.shuffle(payments) };
}
