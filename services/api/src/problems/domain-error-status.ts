import type { DomainErrorCode } from "@aidtrail/domain";

/**
 * HTTP status of each domain error code; the table is the contract and a test checks it is total.
 * - 400: the request's content cannot be a valid command (a malformed amount, date, period or rule).
 * - 403: the caller may not do this (role, or approving its own payment).
 * - 404: the thing named in the path or body does not exist.
 * - 409: the request conflicts with the current state of the log: an id already used with other
 *   data, a budget already spent, a slot already paid, a payment already decided or reversed,
 *   a household whose status cannot move that way. Another id, or a later state, may succeed.
 * - 422: well-formed and consistent with the log, but the program's rule or the household's
 *   eligibility refuses it (cap, amount, coverage, membership). Retrying the same never helps.
 */
export const domainErrorStatus: Record<DomainErrorCode, 400 | 403 | 404 | 409 | 422> = {
  amount_invalid: 400,
  period_invalid: 400,
  date_invalid: 400,
  inputs_invalid: 400,
  rule_invalid: 400,
  event_invalid: 400,
  verification_invalid: 400,
  household_not_found: 404,
  program_not_found: 404,
  stake_not_found: 404,
  loan_not_found: 404,
  disbursement_not_found: 404,
  reservation_not_found: 404,
  role_required: 403,
  self_approval: 403,
  already_exists: 409,
  idempotency_conflict: 409,
  allocation_conflict: 409,
  member_already_exists: 409,
  status_transition_invalid: 409,
  budget_exceeded: 409,
  slot_taken: 409,
  slot_not_held: 409,
  reservation_conflict: 409,
  not_pending: 409,
  already_reversed: 409,
  not_reversible: 409,
  already_decided: 409,
  disbursement_not_initiated: 409,
  stream_conflict: 409,
  not_verifiable: 409,
  amount_mismatch: 422,
  cap_exceeded: 422,
  not_covered: 422,
  household_not_eligible: 422,
  member_not_in_household: 422,
  member_required: 422,
  member_not_student: 422,
  household_mismatch: 422,
};

/** Human titles: the code with spaces, capitalised ("budget_exceeded" → "Budget exceeded"). */
export function titleOf(code: string): string {
  const words = code.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
