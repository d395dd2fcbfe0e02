/**
 * How a payment counts, shared by every read model that sums money (balances, budgets, the
 * household file's balancesAsOf) so they can never disagree: a payment counts when recorded,
 * or when a pending one is approved; a rejected one never counts; a reversal moves a counted
 * payment to reversed (it stays in `paid`, and `net = paid − reversed`).
 */
export type PaymentState = "pending" | "counted" | "rejected" | "reversed";

/** The events that move a payment, named by what they do to it. */
export type PaymentStep =
  | { kind: "recorded"; status: "recorded" | "pending_approval" }
  | { kind: "approved" }
  | { kind: "rejected" }
  | { kind: "reversed" };

export interface PaymentTotals {
  paidFen: number;
  reversedFen: number;
  /** Awaiting a second signature. */
  pendingFen: number;
  payments: number;
  reversals: number;
}

export function zeroTotals(): PaymentTotals {
  return { paidFen: 0, reversedFen: 0, pendingFen: 0, payments: 0, reversals: 0 };
}

/**
 * The payment's next state, adding the change to `totals`; an impossible step (the deciders
 * never emit one) leaves both unchanged rather than inventing money.
 */
export function stepPayment(state: PaymentState | undefined, step: PaymentStep, amountFen: number, totals: PaymentTotals): PaymentState | undefined {
  switch (step.kind) {
    case "recorded":
      if (state !== undefined) return state;
      if (step.status === "recorded") {
        totals.paidFen += amountFen;
        totals.payments += 1;
        return "counted";
      }
      totals.pendingFen += amountFen;
      return "pending";
    case "approved":
      if (state !== "pending") return state;
      totals.pendingFen -= amountFen;
      totals.paidFen += amountFen;
      totals.payments += 1;
      return "counted";
    case "rejected":
      if (state !== "pending") return state;
      totals.pendingFen -= amountFen;
      return "rejected";
    case "reversed":
      if (state !== "counted") return state;
      totals.reversedFen += amountFen;
      totals.reversals += 1;
      return "reversed";
    default: {
      const _exhaustive: never = step;
      throw new Error(`unknown payment step ${JSON.stringify(_exhaustive)}`);
    }
  }
}

// The steps are constants: a rebuild asks for one per disbursement event, and nothing changes them.
const RECORDED: PaymentStep = Object.freeze({ kind: "recorded", status: "recorded" });
const RECORDED_PENDING: PaymentStep = Object.freeze({ kind: "recorded", status: "pending_approval" });
const APPROVED: PaymentStep = Object.freeze({ kind: "approved" });
const REJECTED: PaymentStep = Object.freeze({ kind: "rejected" });
const REVERSED: PaymentStep = Object.freeze({ kind: "reversed" });

/** The payment step of a disbursement event type, or null for events that do not move money. */
export function paymentStepOf(type: string, recordedStatus?: string): PaymentStep | null {
  switch (type) {
    case "DisbursementRecorded":
      return recordedStatus === "pending_approval" ? RECORDED_PENDING : RECORDED;
    case "DisbursementApproved":
      return APPROVED;
    case "DisbursementRejected":
      return REJECTED;
    case "DisbursementReversed":
      return REVERSED;
    default:
      return null;
  }
}
