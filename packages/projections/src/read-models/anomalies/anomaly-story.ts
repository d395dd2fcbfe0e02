import type { ProgramRule } from "@aidtrail/domain";
import { type ReadModelHarness, defineProgram, inspector, officer, pay, rules } from "../testing/scenario.js";

const medical = {
  kind: "medical_aid",
  version: 1,
  approvalThresholdFen: 500_000,
  postExitMonths: 0,
  perMember: true,
  granularity: "year",
  scheme351: { outOfPocketCapFen: { township: 30_000, county: 50_000, city_or_above: 100_000 } },
  scheme180: { reimbursementShareBps: 8_000, annualLimitFen: 2_000_000 },
} satisfies ProgramRule;

const person = (householdId: string, k: number, n: number) => ({
  memberId: `${householdId}-p${k}`,
  name: k === 1 ? "王伟" : "李娜",
  nationalId: `32010219800101${String(n).padStart(3, "0")}${k}`,
  birthDate: "1980-01-01",
  relation: k === 1 ? ("head" as const) : ("spouse" as const),
  schoolLevel: null,
  health: "healthy" as const,
});

/** Registers a household of two paid into `bankAccount`. */
export async function registerWithAccount(h: ReadModelHarness, householdId: string, villageId: string, n: number, bankAccount: string) {
  await h.handlers.registerHousehold(
    { householdId, villageId, headMemberId: `${householdId}-p1`, members: [person(householdId, 1, n), person(householdId, 2, n)], povertyCause: "illness", registeredOn: "2023-01-10", bankAccount },
    officer(),
  );
}

/** Records a refused payment and returns its answer (the refusal is the point). */
async function attempt(h: ReadModelHarness, body: Record<string, unknown>) {
  const answer = await h.handlers.recordDisbursement({ paidOn: "2024-06-15", channel: "one_card", reference: `ref-${String(body.disbursementId)}`, ...body }, officer());
  if (answer.outcome !== "refused") throw new Error(`expected ${String(body.disbursementId)} to be refused`);
  return answer;
}

/**
 * One example of every anomaly rule, as of 2024-06-30 with payments unverified after 90 days,
 * each in its own household so no example triggers another rule by accident.
 */
export async function recordAnomalyStory(h: ReadModelHarness) {
  await defineProgram(h, "grant", rules.grant, 2_000_000);
  await defineProgram(h, "tiny", rules.grant, 100_000);
  await defineProgram(h, "dibao", { ...rules.dibao, granularity: "month" }, 5_000_000);
  await defineProgram(h, "med", medical, 1_000_000);
  await defineProgram(h, "div", rules.dividend, 1_000_000);
  await defineProgram(h, "loan-div", rules.loanDividend, 1_000_000);
  for (const [i, id] of ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"].entries()) {
    // a6 and a7 share one bank account.
    await registerWithAccount(h, id, i % 2 === 0 ? "v1" : "v2", i + 1, id === "a7" ? "6217 0000 1111 0006" : `6217 0000 1111 000${i + 1}`);
  }
  const claim = { kind: "medical_aid", claimId: "claim-1", hospitalLevel: "township", outOfPocketFen: 20_000, reimbursed180ThisYearFen: 0 };
  const duplicate = [
    await pay(h, { disbursementId: "dup-1", householdId: "a1", memberId: "a1-p2", programId: "med", period: "2024", amountFen: 16_000, inputs: claim }),
    await pay(h, { disbursementId: "dup-2", householdId: "a1", memberId: "a1-p2", programId: "med", period: "2024", amountFen: 16_000, inputs: claim }),
  ];
  const cap = await attempt(h, { disbursementId: "cap-1", householdId: "a2", programId: "grant", period: "once", amountFen: 700_000 });
  const budget = await attempt(h, { disbursementId: "budget-1", householdId: "a2", programId: "tiny", period: "once", amountFen: 150_000 });
  const member = await attempt(h, { disbursementId: "member-1", householdId: "a2", memberId: "a1-p1", programId: "med", period: "2024", amountFen: 16_000, inputs: { ...claim, claimId: "claim-2" } });

  // Invariant 4 after the fact: a3 is paid while pre-exit; an exit effective before the payment is recorded later.
  await h.handlers.changeHouseholdStatus({ householdId: "a3", to: "pre_exit", reason: "income above the line", effectiveOn: "2024-05-01" }, officer());
  const ineligible = await pay(h, { disbursementId: "late-exit-1", householdId: "a3", programId: "dibao", period: "2024-06", amountFen: 63_333 });
  const exit = await h.handlers.changeHouseholdStatus({ householdId: "a3", to: "exited", reason: "exit verified, recorded late", effectiveOn: "2024-06-01" }, officer());

  await h.handlers.recordStake({ stakeId: "stake-a4", householdId: "a4", enterprise: "利达现代农业公司", investedFen: 1_000_000, annualDividendFen: 60_000, firstYear: 2023, years: 3 }, officer());
  await h.handlers.recordLoan(
    { loanId: "loan-a5", householdId: "a5", principalFen: 5_000_000, annualRateBps: 435, termMonths: 36, use: "enterprise", issuedOn: "2023-03-01", subsidyShareBps: 10_000, annualDividendFen: 350_000 },
    officer(),
  );

  const disputed = await pay(h, { disbursementId: "disputed-1", householdId: "a8", programId: "dibao", period: "2024-06", amountFen: 63_333 });
  const visit = await h.handlers.recordVerification({ verificationId: "visit-1", disbursementId: "disputed-1", outcome: "not_received", visitedOn: "2024-06-20", method: "home_visit", note: "head says nothing arrived" }, inspector());
  const old = await pay(h, { disbursementId: "old-1", householdId: "a8", programId: "dibao", period: "2024-01", amountFen: 63_333, paidOn: "2024-01-05" });
  return { duplicate, cap, budget, member, ineligible, exit, disputed, visit, old };
}

export const STORY_AS_OF = "2024-06-30";
export const STORY_UNVERIFIED_AFTER_DAYS = 90;
