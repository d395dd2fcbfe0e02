import type { CalendarDate } from "../shared/calendar-date.js";
import type { SealedPii } from "../shared/sealed-pii.js";
import type { Member, PovertyCause } from "./household-member.js";
import type { HouseholdStatus } from "./household-status.js";

export interface StatusChange {
  from: HouseholdStatus;
  to: HouseholdStatus;
  effectiveOn: CalendarDate;
  reason: string;
  actor: string;
}

export interface UnregisteredHousehold {
  status: "unregistered";
}

/** A registered household; `status` is the latest recorded status, `statusHistory` in recording order. */
export interface RegisteredHousehold {
  status: HouseholdStatus;
  householdId: string;
  villageId: string;
  headMemberId: string;
  members: readonly Member[];
  povertyCause: PovertyCause;
  registeredOn: CalendarDate;
  bankAccount?: SealedPii;
  statusHistory: readonly StatusChange[];
}

export type HouseholdState = UnregisteredHousehold | RegisteredHousehold;

export function isRegistered(state: HouseholdState): state is RegisteredHousehold {
  return state.status !== "unregistered";
}

export function findMember(state: RegisteredHousehold, memberId: string): Member | undefined {
  return state.members.find((m) => m.memberId === memberId);
}
