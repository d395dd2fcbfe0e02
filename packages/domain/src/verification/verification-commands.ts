import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { NonNegativeFen } from "../shared/fen.js";
import { Id } from "../shared/ids.js";
import { Actor } from "../shared/roles.js";
import { VerificationMethod, VerificationOutcome } from "./verification-events.js";

/** The body of POST /v1/verifications (SPEC.md): what the inspector found. */
export const VerificationRequest = z.strictObject({
  verificationId: Id,
  disbursementId: Id,
  outcome: VerificationOutcome,
  observedAmountFen: NonNegativeFen.optional(),
  visitedOn: CalendarDate,
  method: VerificationMethod,
  note: z.string().max(2_000).default(""),
});
export type VerificationRequest = z.infer<typeof VerificationRequest>;

/**
 * The payment as the handler read it from its own stream: the verification stream does not
 * hold it, and a finding is only meaningful about money that was actually paid.
 */
export const VerifiedPayment = z.strictObject({
  disbursementId: Id,
  householdId: Id,
  status: z.string().min(1),
  amountFen: z.int().nullable(),
  paidOn: CalendarDate,
});
export type VerifiedPayment = z.infer<typeof VerifiedPayment>;

export const RecordVerificationCommand = z.strictObject({
  type: z.literal("RecordVerification"),
  data: z.strictObject({ request: VerificationRequest, payment: VerifiedPayment.nullable(), actor: Actor }),
});
export type RecordVerification = z.infer<typeof RecordVerificationCommand>;
export type VerificationCommand = RecordVerification;
