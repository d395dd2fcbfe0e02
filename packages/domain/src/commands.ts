import { z } from "zod";
import {
  ApproveDisbursementCommand,
  InitiateDisbursementCommand,
  RejectDisbursementCommand,
  ReverseDisbursementCommand,
} from "./disbursement/disbursement-commands.js";
import { HouseholdCommand } from "./household/household-commands.js";
import { RecordLoanCommand } from "./loan/loan.js";
import { ProgramCommand } from "./program/program-commands.js";
import { SlotCommand } from "./slot/slot.js";
import { RecordStakeCommand } from "./stake/stake.js";
import { RecordVerificationCommand } from "./verification/verification-commands.js";

/**
 * Every command that may come from outside the process, as one zod union (RecordDisbursement is
 * internal to the handler and has no schema: it carries states, not a body).
 */
export const DomainCommand = z.discriminatedUnion("type", [
  ...HouseholdCommand.options,
  ...ProgramCommand.options,
  ...SlotCommand.options,
  InitiateDisbursementCommand,
  ApproveDisbursementCommand,
  RejectDisbursementCommand,
  ReverseDisbursementCommand,
  RecordStakeCommand,
  RecordLoanCommand,
  RecordVerificationCommand,
]);
export type DomainCommand = z.infer<typeof DomainCommand>;
