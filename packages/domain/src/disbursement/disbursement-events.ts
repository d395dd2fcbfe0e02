import { z } from "zod";
import { Id } from "../shared/ids.js";
import { PositiveFen } from "../shared/fen.js";
import { RecordedInputs } from "../program/rules/amount-context.js";
import { DisbursementRequest } from "./disbursement-request.js";

/**
 * The request as received, its hash (computed by the handler, e.g. SHA-256 of canonicalJson) to
 * answer retries, and who prepared it — kept in data because the maker-checker rule needs it
 * when the state is rebuilt from data alone.
 */
export const DisbursementInitiatedData = z.strictObject({
  request: DisbursementRequest,
  requestHash: z.string().min(1),
  preparedBy: z.string().min(1),
});

export const DisbursementRecordedData = z.strictObject({
  disbursementId: Id,
  programId: Id,
  householdId: Id,
  memberId: Id.nullable(),
  period: z.string().min(1),
  status: z.enum(["recorded", "pending_approval"]),
  amountFen: PositiveFen,
  ruleVersion: z.int().min(1),
  inputs: RecordedInputs,
  slotKey: z.string().min(1).nullable(),
});

/** The command was refused after initiation; the refusal is the first (and lasting) answer to retries. */
export const DisbursementRefusedData = z.strictObject({ disbursementId: Id, code: z.string().min(1), message: z.string() });
export const DisbursementApprovedData = z.strictObject({ disbursementId: Id, by: z.string().min(1) });
export const DisbursementRejectedData = z.strictObject({ disbursementId: Id, by: z.string().min(1), reason: z.string().min(1) });
/** `originalPosition`: global position of the DisbursementRecorded event, as a decimal string (bigint-safe). */
export const DisbursementReversedData = z.strictObject({
  disbursementId: Id,
  reason: z.string().min(1),
  by: z.string().min(1),
  originalPosition: z.string().regex(/^\d+$/).exactOptional(),
});

export const disbursementEventSchemas = {
  DisbursementInitiated: DisbursementInitiatedData,
  DisbursementRecorded: DisbursementRecordedData,
  DisbursementRefused: DisbursementRefusedData,
  DisbursementApproved: DisbursementApprovedData,
  DisbursementRejected: DisbursementRejectedData,
  DisbursementReversed: DisbursementReversedData,
} as const;

export type DisbursementInitiated = { type: "DisbursementInitiated"; data: z.infer<typeof DisbursementInitiatedData> };
export type DisbursementRecorded = { type: "DisbursementRecorded"; data: z.infer<typeof DisbursementRecordedData> };
export type DisbursementRefused = { type: "DisbursementRefused"; data: z.infer<typeof DisbursementRefusedData> };
export type DisbursementApproved = { type: "DisbursementApproved"; data: z.infer<typeof DisbursementApprovedData> };
export type DisbursementRejected = { type: "DisbursementRejected"; data: z.infer<typeof DisbursementRejectedData> };
export type DisbursementReversed = { type: "DisbursementReversed"; data: z.infer<typeof DisbursementReversedData> };
export type DisbursementEvent =
  | DisbursementInitiated
  | DisbursementRecorded
  | DisbursementRefused
  | DisbursementApproved
  | DisbursementRejected
  | DisbursementReversed;
