/**
 * Domain errors: a stable machine `code` (the HTTP layer maps it to a problem+json type)
 * and a human message. `details` carries the figures a client needs to correct the request.
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Every code a DomainError may carry; stable, part of the API contract. */
export const domainErrorCodes = [
  "amount_invalid",
  "amount_mismatch",
  "cap_exceeded",
  "budget_exceeded",
  "period_invalid",
  "date_invalid",
  "inputs_invalid",
  "not_covered",
  "household_not_found",
  "household_not_eligible",
  "member_not_in_household",
  "member_required",
  "member_already_exists",
  "member_not_student",
  "status_transition_invalid",
  "already_exists",
  "program_not_found",
  "rule_invalid",
  "allocation_conflict",
  "reservation_not_found",
  "reservation_conflict",
  "stake_not_found",
  "loan_not_found",
  "household_mismatch",
  "slot_taken",
  "slot_not_held",
  "role_required",
  "self_approval",
  "not_pending",
  "already_reversed",
  "not_reversible",
  "disbursement_not_found",
  "disbursement_not_initiated",
  "already_decided",
  "idempotency_conflict",
  "stream_conflict",
  "event_invalid",
  "not_verifiable",
  "verification_invalid",
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class AmountInvalid extends DomainError {
  readonly code = "amount_invalid";
  constructor(field: string, value: unknown, expected: string) {
    super(`${field} must be ${expected} (integer fen), got ${String(value)}`, { field, value: String(value) });
  }
}

export class AmountMismatch extends DomainError {
  readonly code = "amount_mismatch";
  constructor(
    readonly expectedFen: number,
    readonly requestedFen: number,
  ) {
    super(`the rule gives exactly ${expectedFen} fen, the request says ${requestedFen} fen`, { expectedFen, requestedFen });
  }
}

export class CapExceeded extends DomainError {
  readonly code = "cap_exceeded";
  constructor(
    readonly capFen: number,
    readonly requestedFen: number,
  ) {
    super(`${requestedFen} fen exceeds the cap of ${capFen} fen`, { capFen, requestedFen });
  }
}

export class BudgetExceeded extends DomainError {
  readonly code = "budget_exceeded";
  constructor(
    readonly programId: string,
    readonly requestedFen: number,
    readonly remainingFen: number,
  ) {
    super(`program ${programId} has ${remainingFen} fen left, ${requestedFen} fen requested`, {
      programId,
      requestedFen,
      remainingFen,
    });
  }
}

export class PeriodInvalid extends DomainError {
  readonly code = "period_invalid";
  constructor(text: string, reason: string) {
    super(`period "${text}" is invalid: ${reason}`, { period: text, reason });
  }
}

export class DateInvalid extends DomainError {
  readonly code = "date_invalid";
  constructor(text: string, reason: string) {
    super(`date "${text}" is invalid: ${reason}`, { date: text, reason });
  }
}

export class InputsInvalid extends DomainError {
  readonly code = "inputs_invalid";
  constructor(reason: string) {
    super(`disbursement inputs are invalid: ${reason}`, { reason });
  }
}

/** The rule has no (or a zero) amount for this case: e.g. a school level or renovation type it does not fund. */
export class NotCovered extends DomainError {
  readonly code = "not_covered";
  constructor(what: string) {
    super(`not covered by the program rule: ${what}`, { what });
  }
}

export class HouseholdNotFound extends DomainError {
  readonly code = "household_not_found";
  constructor(householdId: string) {
    super(`household ${householdId} is not registered`, { householdId });
  }
}

export class HouseholdNotEligible extends DomainError {
  readonly code = "household_not_eligible";
  constructor(householdId: string, on: string, reason: string) {
    super(`household ${householdId} may not be paid on ${on}: ${reason}`, { householdId, on, reason });
  }
}

export class MemberNotInHousehold extends DomainError {
  readonly code = "member_not_in_household";
  constructor(memberId: string, householdId: string) {
    super(`member ${memberId} is not in household ${householdId}`, { memberId, householdId });
  }
}

export class MemberRequired extends DomainError {
  readonly code = "member_required";
  constructor(programId: string) {
    super(`program ${programId} pays per person: memberId is required`, { programId });
  }
}

export class MemberAlreadyExists extends DomainError {
  readonly code = "member_already_exists";
  constructor(memberId: string) {
    super(`member ${memberId} already exists`, { memberId });
  }
}

export class MemberNotStudent extends DomainError {
  readonly code = "member_not_student";
  constructor(memberId: string) {
    super(`member ${memberId} has no school level`, { memberId });
  }
}

export class StatusTransitionInvalid extends DomainError {
  readonly code = "status_transition_invalid";
  constructor(from: string, to: string) {
    super(`household status cannot change from ${from} to ${to}`, { from, to });
  }
}

/** A create command on an existing aggregate whose recorded data differs (same data is an idempotent retry). */
export class AlreadyExists extends DomainError {
  readonly code = "already_exists";
  constructor(what: string, id: string) {
    super(`${what} ${id} already exists with different data`, { what, id });
  }
}

export class ProgramNotFound extends DomainError {
  readonly code = "program_not_found";
  constructor(programId: string) {
    super(`program ${programId} is not defined`, { programId });
  }
}

export class RuleInvalid extends DomainError {
  readonly code = "rule_invalid";
  constructor(reason: string) {
    super(`program rule is invalid: ${reason}`, { reason });
  }
}

export class AllocationConflict extends DomainError {
  readonly code = "allocation_conflict";
  constructor(allocationId: string) {
    super(`allocation ${allocationId} was already added with a different amount or period`, { allocationId });
  }
}

export class ReservationNotFound extends DomainError {
  readonly code = "reservation_not_found";
  constructor(disbursementId: string) {
    super(`no reservation for disbursement ${disbursementId}`, { disbursementId });
  }
}

export class ReservationConflict extends DomainError {
  readonly code = "reservation_conflict";
  constructor(disbursementId: string, reason: string) {
    super(`reservation for disbursement ${disbursementId}: ${reason}`, { disbursementId, reason });
  }
}

export class StakeNotFound extends DomainError {
  readonly code = "stake_not_found";
  constructor(stakeId: string) {
    super(`stake ${stakeId} is not recorded`, { stakeId });
  }
}

export class LoanNotFound extends DomainError {
  readonly code = "loan_not_found";
  constructor(loanId: string) {
    super(`loan ${loanId} is not recorded`, { loanId });
  }
}

export class HouseholdMismatch extends DomainError {
  readonly code = "household_mismatch";
  constructor(what: string, id: string, householdId: string) {
    super(`${what} ${id} does not belong to household ${householdId}`, { what, id, householdId });
  }
}

export class SlotTaken extends DomainError {
  readonly code = "slot_taken";
  constructor(
    readonly slotKey: string,
    readonly holderDisbursementId: string,
  ) {
    super(`slot ${slotKey} is already paid by disbursement ${holderDisbursementId}`, { slotKey, holderDisbursementId });
  }
}

export class SlotNotHeld extends DomainError {
  readonly code = "slot_not_held";
  constructor(slotKey: string, disbursementId: string) {
    super(`slot ${slotKey} is not held by disbursement ${disbursementId}`, { slotKey, disbursementId });
  }
}

export class RoleRequired extends DomainError {
  readonly code = "role_required";
  constructor(role: string, action: string) {
    super(`${action} needs the ${role} role`, { role, action });
  }
}

export class SelfApproval extends DomainError {
  readonly code = "self_approval";
  constructor(disbursementId: string, actor: string) {
    super(`${actor} prepared disbursement ${disbursementId} and cannot approve or reject it`, { disbursementId, actor });
  }
}

export class NotPending extends DomainError {
  readonly code = "not_pending";
  constructor(disbursementId: string, status: string) {
    super(`disbursement ${disbursementId} is ${status}, not pending approval`, { disbursementId, status });
  }
}

export class AlreadyReversed extends DomainError {
  readonly code = "already_reversed";
  constructor(disbursementId: string) {
    super(`disbursement ${disbursementId} is already reversed`, { disbursementId });
  }
}

export class NotReversible extends DomainError {
  readonly code = "not_reversible";
  constructor(disbursementId: string, status: string) {
    super(`disbursement ${disbursementId} is ${status}: only a recorded or approved payment can be reversed`, {
      disbursementId,
      status,
    });
  }
}

export class DisbursementNotFound extends DomainError {
  readonly code = "disbursement_not_found";
  constructor(disbursementId: string) {
    super(`disbursement ${disbursementId} does not exist`, { disbursementId });
  }
}

export class DisbursementNotInitiated extends DomainError {
  readonly code = "disbursement_not_initiated";
  constructor(disbursementId: string) {
    super(`disbursement ${disbursementId} must be initiated first`, { disbursementId });
  }
}

/** Recording or refusing a disbursement that already has its answer (recorded one way, now asked the other). */
export class AlreadyDecided extends DomainError {
  readonly code = "already_decided";
  constructor(disbursementId: string, status: string) {
    super(`disbursement ${disbursementId} is already ${status}`, { disbursementId, status });
  }
}

export class IdempotencyConflict extends DomainError {
  readonly code = "idempotency_conflict";
  constructor(disbursementId: string) {
    super(`disbursement ${disbursementId} was already submitted with a different body`, { disbursementId });
  }
}

/** For the handler: optimistic concurrency retries exhausted. Defined here so every layer shares the code. */
export class StreamConflict extends DomainError {
  readonly code = "stream_conflict";
  constructor(streamId: string) {
    super(`stream ${streamId} changed concurrently; retries exhausted`, { streamId });
  }
}

export class EventInvalid extends DomainError {
  readonly code = "event_invalid";
  constructor(type: string, reason: string) {
    super(`event ${type} refused: ${reason}`, { type, reason });
  }
}

/** A verification names a payment whose money never went out (pending, refused, rejected) or was reversed. */
export class NotVerifiable extends DomainError {
  readonly code = "not_verifiable";
  constructor(disbursementId: string, status: string) {
    super(`disbursement ${disbursementId} is ${status}: only a paid (recorded or approved) payment can be verified`, { disbursementId, status });
  }
}

export class VerificationInvalid extends DomainError {
  readonly code = "verification_invalid";
  constructor(reason: string) {
    super(`verification is invalid: ${reason}`, { reason });
  }
}

/** A programming error, not a business refusal: a command or event outside the decider's union. */
export class UnknownCommand extends Error {
  constructor(value: unknown) {
    super(`unknown command or event: ${JSON.stringify(value)}`);
    this.name = "UnknownCommand";
  }
}

/** Replaying an event that cannot follow the current state: the stream is corrupt, never guess. */
export class ImpossibleEvent extends Error {
  constructor(type: string, status: string) {
    super(`event ${type} cannot apply to state ${status}`);
    this.name = "ImpossibleEvent";
  }
}
