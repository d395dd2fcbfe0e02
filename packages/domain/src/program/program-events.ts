import { z } from "zod";
import { Id } from "../shared/ids.js";
import { PositiveFen } from "../shared/fen.js";
import { PeriodText } from "../shared/period.js";
import { ProgramKind, ProgramRule } from "./program-rule.js";

export const ProgramDefinedData = z.strictObject({
  programId: Id,
  name: z.string().min(1),
  kind: ProgramKind,
  rule: ProgramRule,
  fundingSource: z.string().min(1),
});
export const ProgramRuleRevisedData = z.strictObject({ programId: Id, rule: ProgramRule });
/** Money made available to the program; `period` names the plan it belongs to (any period form). */
export const AllocationAddedData = z.strictObject({
  programId: Id,
  allocationId: Id,
  amountFen: PositiveFen,
  period: PeriodText,
  note: z.string(),
});
export const FundsReservedData = z.strictObject({ programId: Id, disbursementId: Id, amountFen: PositiveFen });
export const ReservationReleasedData = z.strictObject({ programId: Id, disbursementId: Id, reason: z.string().min(1) });

export const programEventSchemas = {
  ProgramDefined: ProgramDefinedData,
  ProgramRuleRevised: ProgramRuleRevisedData,
  AllocationAdded: AllocationAddedData,
  FundsReserved: FundsReservedData,
  ReservationReleased: ReservationReleasedData,
} as const;

export type ProgramDefined = { type: "ProgramDefined"; data: z.infer<typeof ProgramDefinedData> };
export type ProgramRuleRevised = { type: "ProgramRuleRevised"; data: z.infer<typeof ProgramRuleRevisedData> };
export type AllocationAdded = { type: "AllocationAdded"; data: z.infer<typeof AllocationAddedData> };
export type FundsReserved = { type: "FundsReserved"; data: z.infer<typeof FundsReservedData> };
export type ReservationReleased = { type: "ReservationReleased"; data: z.infer<typeof ReservationReleasedData> };
export type ProgramEvent = ProgramDefined | ProgramRuleRevised | AllocationAdded | FundsReserved | ReservationReleased;
