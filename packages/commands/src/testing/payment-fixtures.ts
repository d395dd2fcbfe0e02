import type { DisbursementAnswer } from "../disbursement/disbursement-answer.js";

/** A payment request body paid on 2024-05-20 by one card; `period` "once" suits one-off grants. */
export const payment = (disbursementId: string, householdId: string, programId: string, amountFen: number, period = "once") => ({
  disbursementId,
  householdId,
  programId,
  period,
  amountFen,
  paidOn: "2024-05-20",
  channel: "one_card" as const,
  reference: `ref-${disbursementId}`,
});

export const recordedAnswers = (answers: DisbursementAnswer[]) => answers.filter((a) => a.outcome === "recorded");
export const refusedWith = (answers: DisbursementAnswer[], code: string) => answers.filter((a) => a.outcome === "refused" && a.code === code);
