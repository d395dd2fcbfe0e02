import { assertEligible, requireMember } from "../household/eligibility.js";
import type { HouseholdState } from "../household/household-state.js";
import type { LoanState } from "../loan/loan.js";
import { computeAmount } from "../program/compute-amount.js";
import { DisbursementInputs, type ProgramRule } from "../program/program-rule.js";
import type { ProgramState } from "../program/program-state.js";
import { currentRule } from "../program/program-state.js";
import type { RecordedInputs } from "../program/rules/amount-context.js";
import { slotKey } from "../slot/slot-key.js";
import type { StakeState } from "../stake/stake.js";
import {
  AmountMismatch,
  CapExceeded,
  HouseholdMismatch,
  HouseholdNotFound,
  InputsInvalid,
  MemberRequired,
  ProgramNotFound,
} from "../shared/errors.js";
import { requirePositiveFen } from "../shared/fen.js";
import type { DisbursementRequest } from "./disbursement-request.js";

/** The states the handler reads before recording a payment. */
export interface DisbursementContext {
  household: HouseholdState;
  program: ProgramState;
  /** For enterprise_dividend: the stake named by inputs.stakeId. */
  stake?: StakeState | null;
  /** For loan_interest: the loan named by inputs.loanId. */
  loan?: LoanState | null;
}

export interface Assessment {
  status: "recorded" | "pending_approval";
  amountFen: number;
  ruleVersion: number;
  inputs: RecordedInputs;
  /** Null where a program allows several payments per period (medical claims). */
  slotKey: string | null;
}

/** Which slot a payment takes, or null when the program pays per claim rather than per period. */
export function slotKeyFor(rule: ProgramRule, request: DisbursementRequest, inputs: DisbursementInputs): string | null {
  switch (inputs.kind) {
    case "medical_aid":
      // Several claims per person and year are normal; the 180 annual limit bounds them instead.
      return null;
    case "enterprise_dividend":
      return slotKey(request.programId, inputs.stakeId, request.period);
    case "loan_interest":
      return slotKey(request.programId, inputs.component === "dividend" ? `${inputs.loanId}:dividend` : inputs.loanId, request.period);
    default:
      return slotKey(request.programId, rule.perMember && request.memberId ? request.memberId : request.householdId, request.period);
  }
}

/**
 * Everything the domain checks before a payment is recorded, in the order a clerk would:
 * amount shape, program, household, eligibility on the payment date, member, inputs, the rule's
 * amount (exact or cap), then the slot and whether a second signature is needed.
 * Pure: the handler may call it before claiming the slot, and the decider calls it again.
 */
export function assessDisbursement(request: DisbursementRequest, context: DisbursementContext): Assessment {
  requirePositiveFen("amountFen", request.amountFen);
  const program = context.program;
  if (program.status !== "defined" || program.programId !== request.programId) throw new ProgramNotFound(request.programId);
  const rule = currentRule(program);
  // The handler must pass the state of the household the request names; anything else is "not found".
  if (context.household.status !== "unregistered" && context.household.householdId !== request.householdId) {
    throw new HouseholdNotFound(request.householdId);
  }
  const household = assertEligible(context.household, request.householdId, request.paidOn, rule.postExitMonths);
  if (rule.perMember && request.memberId === undefined) throw new MemberRequired(program.programId);
  const member = request.memberId === undefined ? null : requireMember(household, request.memberId);

  const parsed = DisbursementInputs.safeParse(request.inputs ?? { kind: rule.kind });
  if (!parsed.success) throw new InputsInvalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const inputs = parsed.data;

  const stake = context.stake?.status === "recorded" ? context.stake : null;
  const loan = context.loan?.status === "recorded" ? context.loan : null;
  if (stake && stake.householdId !== household.householdId) throw new HouseholdMismatch("stake", stake.stakeId, household.householdId);
  if (loan && loan.householdId !== household.householdId) throw new HouseholdMismatch("loan", loan.loanId, household.householdId);

  const computed = computeAmount(rule, { periodText: request.period, household, member, inputs, stake, loan });
  if (computed.mode === "exact" && request.amountFen !== computed.amountFen) throw new AmountMismatch(computed.amountFen, request.amountFen);
  if (computed.mode === "up_to" && request.amountFen > computed.amountFen) throw new CapExceeded(computed.amountFen, request.amountFen);

  return {
    status: request.amountFen > rule.approvalThresholdFen ? "pending_approval" : "recorded",
    amountFen: request.amountFen,
    ruleVersion: rule.version,
    inputs: computed.inputs,
    slotKey: slotKeyFor(rule, request, inputs),
  };
}
