import type { RecordedInputs } from "../program/rules/amount-context.js";
import type { DisbursementRequest } from "./disbursement-request.js";

interface Initiated {
  disbursementId: string;
  request: DisbursementRequest;
  requestHash: string;
  preparedBy: string;
}

interface Recorded extends Initiated {
  amountFen: number;
  ruleVersion: number;
  inputs: RecordedInputs;
  slotKey: string | null;
}

export type DisbursementState =
  | { status: "none" }
  | (Initiated & { status: "initiated" })
  | (Initiated & { status: "refused"; code: string; message: string })
  | (Recorded & { status: "recorded" | "pending_approval" })
  | (Recorded & { status: "approved"; approvedBy: string })
  | (Recorded & { status: "rejected"; rejectedBy: string; reason: string })
  | (Recorded & {
      status: "reversed";
      reversedFrom: "recorded" | "approved";
      approvedBy: string | null;
      reversedBy: string;
      reason: string;
    });

export type DisbursementStatus = DisbursementState["status"];

/**
 * Whether the payment holds its slot and budget: a rejected or reversed one has released them
 * (the handler appends SlotReleased and ReservationReleased after those events).
 */
export function holdsFunds(state: DisbursementState): boolean {
  return state.status === "recorded" || state.status === "pending_approval" || state.status === "approved";
}
