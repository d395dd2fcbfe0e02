import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { PositiveFen } from "../shared/fen.js";
import { Id } from "../shared/ids.js";
import { PeriodText } from "../shared/period.js";
import { DisbursementInputs } from "../program/program-rule.js";

/** 一卡通 (the benefits card) is how most subsidies are paid; bank transfer and cash are the others. */
export const PaymentChannel = z.enum(["one_card", "bank_transfer", "cash"]);
export type PaymentChannel = z.infer<typeof PaymentChannel>;

/**
 * The body of POST /v1/disbursements. `period` must be the canonical text for the program's
 * granularity (checked against the rule when recording). `inputs` carries what some kinds need
 * (stake, loan, claim, renovation type); kinds that need nothing may omit it.
 */
export const DisbursementRequest = z.strictObject({
  disbursementId: Id,
  householdId: Id,
  memberId: Id.exactOptional(),
  programId: Id,
  period: PeriodText,
  amountFen: PositiveFen,
  paidOn: CalendarDate,
  channel: PaymentChannel,
  reference: z.string().min(1),
  inputs: DisbursementInputs.exactOptional(),
});
export type DisbursementRequest = z.infer<typeof DisbursementRequest>;
