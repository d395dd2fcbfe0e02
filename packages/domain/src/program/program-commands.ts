import { z } from "zod";
import { AllocationAddedData, FundsReservedData, ProgramDefinedData, ProgramRuleRevisedData, ReservationReleasedData } from "./program-events.js";

export const DefineProgramCommand = z.strictObject({ type: z.literal("DefineProgram"), data: ProgramDefinedData });
export const ReviseProgramRuleCommand = z.strictObject({ type: z.literal("ReviseProgramRule"), data: ProgramRuleRevisedData });
export const AddAllocationCommand = z.strictObject({ type: z.literal("AddAllocation"), data: AllocationAddedData });
/** Issued by the disbursement handler, before recording, so the budget can never be overdrawn. */
export const ReserveFundsCommand = z.strictObject({ type: z.literal("ReserveFunds"), data: FundsReservedData });
/** Compensation after a failed recording, or on rejection or reversal: frees the budget. */
export const ReleaseReservationCommand = z.strictObject({ type: z.literal("ReleaseReservation"), data: ReservationReleasedData });

export const ProgramCommand = z.discriminatedUnion("type", [
  DefineProgramCommand,
  ReviseProgramRuleCommand,
  AddAllocationCommand,
  ReserveFundsCommand,
  ReleaseReservationCommand,
]);
export type DefineProgram = z.infer<typeof DefineProgramCommand>;
export type ReviseProgramRule = z.infer<typeof ReviseProgramRuleCommand>;
export type AddAllocation = z.infer<typeof AddAllocationCommand>;
export type ReserveFunds = z.infer<typeof ReserveFundsCommand>;
export type ReleaseReservation = z.infer<typeof ReleaseReservationCommand>;
export type ProgramCommand = z.infer<typeof ProgramCommand>;
