import type { DisbursementView } from "../aggregates/domain-aggregates.js";

/**
 * The lasting answer to POST /v1/disbursements: every retry with the same id and body gets
 * exactly this, whatever happened to the payment since (approval, reversal).
 */
export type DisbursementAnswer =
  | {
      outcome: "recorded";
      disbursementId: string;
      status: "recorded" | "pending_approval";
      amountFen: number;
      /** Global position of DisbursementRecorded, decimal. */
      position: string;
    }
  | {
      outcome: "refused";
      disbursementId: string;
      /** A DomainError code (budget_exceeded, slot_taken, household_not_eligible, ...). */
      code: string;
      message: string;
      /** Global position of DisbursementRefused, decimal. */
      position: string;
    };

/** The first answer recorded in the stream; throws if the payment is still undecided. */
export function answerOf(view: DisbursementView): DisbursementAnswer {
  const s = view.state;
  if (s.status === "refused" && view.refusedPosition !== null) {
    return { outcome: "refused", disbursementId: s.disbursementId, code: s.code, message: s.message, position: view.refusedPosition };
  }
  if (s.status !== "none" && s.status !== "initiated" && s.status !== "refused" && view.recorded !== null) {
    return { outcome: "recorded", disbursementId: s.disbursementId, status: view.recorded.status, amountFen: s.amountFen, position: view.recorded.position };
  }
  throw new Error(`disbursement is ${s.status}: no answer yet`);
}
