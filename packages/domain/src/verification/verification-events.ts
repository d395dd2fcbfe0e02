import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { NonNegativeFen, PositiveFen } from "../shared/fen.js";
import { Id } from "../shared/ids.js";

/** 核查 outcomes: the money arrived, did not, or arrived with another amount. */
export const VerificationOutcome = z.enum(["received", "not_received", "amount_differs"]);
export type VerificationOutcome = z.infer<typeof VerificationOutcome>;

/** How the inspector checked; a bank statement is stronger evidence than a phone call. */
export const VerificationMethod = z.enum(["home_visit", "phone_call", "bank_statement", "village_meeting"]);
export type VerificationMethod = z.infer<typeof VerificationMethod>;

/**
 * One field visit. `paidAmountFen` and `householdId` are copied from the payment so a read model
 * can judge the finding without joining the payment's stream; `inspector` is in data (not only
 * metadata) because who checked is part of the finding.
 */
export const VerificationRecordedData = z.strictObject({
  verificationId: Id,
  disbursementId: Id,
  householdId: Id,
  outcome: VerificationOutcome,
  paidAmountFen: PositiveFen,
  observedAmountFen: NonNegativeFen.nullable(),
  visitedOn: CalendarDate,
  method: VerificationMethod,
  note: z.string().max(2_000),
  inspector: z.string().min(1),
});

/** A dispute: opened by a not_received or amount_differs finding; its id is that verification's id. */
export const CaseOpenedData = z.strictObject({
  caseId: Id,
  disbursementId: Id,
  householdId: Id,
  verificationId: Id,
  reason: z.enum(["not_received", "amount_differs"]),
  openedOn: CalendarDate,
});

/** Closed by a later finding that the money was received (the follow-up visit). */
export const CaseClosedData = z.strictObject({
  caseId: Id,
  disbursementId: Id,
  householdId: Id,
  verificationId: Id,
  resolution: z.literal("received_on_follow_up"),
  closedOn: CalendarDate,
});

export const verificationEventSchemas = {
  VerificationRecorded: VerificationRecordedData,
  CaseOpened: CaseOpenedData,
  CaseClosed: CaseClosedData,
} as const;

export type VerificationRecorded = { type: "VerificationRecorded"; data: z.infer<typeof VerificationRecordedData> };
export type CaseOpened = { type: "CaseOpened"; data: z.infer<typeof CaseOpenedData> };
export type CaseClosed = { type: "CaseClosed"; data: z.infer<typeof CaseClosedData> };
export type VerificationEvent = VerificationRecorded | CaseOpened | CaseClosed;
