import { type CalendarDate, addMonths, compareDates } from "../shared/calendar-date.js";
import { HouseholdNotEligible, HouseholdNotFound, MemberNotInHousehold } from "../shared/errors.js";
import type { Member } from "./household-member.js";
import { type HouseholdState, type RegisteredHousehold, findMember, isRegistered } from "./household-state.js";
import type { HouseholdStatus } from "./household-status.js";

export interface StatusOnDate {
  status: HouseholdStatus;
  /** Effective date of the change that set it; the registration date if none did. */
  since: CalendarDate;
}

/**
 * The status in force on `date`, by effective date (not recording order: a change recorded late
 * with an earlier effective date counts from that date). Ties keep recording order.
 * Null before the household was registered.
 */
export function statusOn(household: RegisteredHousehold, date: CalendarDate): StatusOnDate | null {
  if (compareDates(date, household.registeredOn) < 0) return null;
  const inForce = household.statusHistory
    .map((change, order) => ({ change, order }))
    .filter(({ change }) => compareDates(change.effectiveOn, date) <= 0)
    .sort((a, b) => compareDates(a.change.effectiveOn, b.change.effectiveOn) || a.order - b.order)
    .at(-1);
  return inForce ? { status: inForce.change.to, since: inForce.change.effectiveOn } : { status: "enrolled", since: household.registeredOn };
}

export type Eligibility =
  | { eligible: true; status: HouseholdStatus; postExitUntil: CalendarDate | null }
  | { eligible: false; status: HouseholdStatus | null; reason: string };

/**
 * Invariant 4: a household may be paid on `on` if it is enrolled, pre-exit or re-enrolled then; an
 * exited household only while the rule keeps support after exit (脱贫不脱政策): on a date before
 * exit effective date + postExitMonths (exclusive end; month-end clamped). Pure, so projections
 * can re-run it to flag payments that a late status change made ineligible.
 */
export function householdEligibility(household: RegisteredHousehold, on: CalendarDate, postExitMonths: number): Eligibility {
  const current = statusOn(household, on);
  if (!current) return { eligible: false, status: null, reason: `not yet registered (registered on ${household.registeredOn})` };
  if (current.status !== "exited") return { eligible: true, status: current.status, postExitUntil: null };
  if (postExitMonths <= 0) return { eligible: false, status: "exited", reason: `exited on ${current.since}; the program has no post-exit support` };
  const until = addMonths(current.since, postExitMonths);
  if (compareDates(on, until) < 0) return { eligible: true, status: "exited", postExitUntil: until };
  return {
    eligible: false,
    status: "exited",
    reason: `exited on ${current.since}; post-exit support of ${postExitMonths} months ended before ${until}`,
  };
}

/** Throws household_not_found / household_not_eligible, or returns the registered household. */
export function assertEligible(household: HouseholdState, householdId: string, on: CalendarDate, postExitMonths: number): RegisteredHousehold {
  if (!isRegistered(household)) throw new HouseholdNotFound(householdId);
  const result = householdEligibility(household, on, postExitMonths);
  if (!result.eligible) throw new HouseholdNotEligible(household.householdId, on, result.reason);
  return household;
}

/** Throws member_not_in_household unless the member belongs to the household. */
export function requireMember(household: RegisteredHousehold, memberId: string): Member {
  const member = findMember(household, memberId);
  if (!member) throw new MemberNotInHousehold(memberId, household.householdId);
  return member;
}
