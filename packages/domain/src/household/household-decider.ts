import { compareDates } from "../shared/calendar-date.js";
import { canonicalJson } from "../shared/canonical-json.js";
import type { Decider } from "../shared/decider.js";
import {
  AlreadyExists,
  DateInvalid,
  HouseholdNotFound,
  ImpossibleEvent,
  MemberAlreadyExists,
  MemberNotInHousehold,
  StatusTransitionInvalid,
  UnknownCommand,
} from "../shared/errors.js";
import type { HouseholdCommand } from "./household-commands.js";
import type { HouseholdEvent, HouseholdRegistered, MemberCorrected } from "./household-events.js";
import type { Member } from "./household-member.js";
import { type HouseholdState, type RegisteredHousehold, findMember, isRegistered } from "./household-state.js";
import { canTransition } from "./household-status.js";

export function initialHouseholdState(): HouseholdState {
  return { status: "unregistered" };
}

/** PII is sealed with fresh randomness on every request; compare it by blind index, not ciphertext. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.sealed === "string" && typeof o.blindIndex === "string") return { blindIndex: o.blindIndex };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}
const same = (a: unknown, b: unknown) => canonicalJson(comparable(a)) === canonicalJson(comparable(b));

function registeredData(state: RegisteredHousehold): HouseholdRegistered["data"] {
  const { householdId, villageId, headMemberId, members, povertyCause, registeredOn, bankAccount } = state;
  return { householdId, villageId, headMemberId, members: [...members], povertyCause, registeredOn, ...(bankAccount ? { bankAccount } : {}) };
}

function requireRegistered(state: HouseholdState, householdId: string): RegisteredHousehold {
  if (!isRegistered(state)) throw new HouseholdNotFound(householdId);
  return state;
}

export function decideHousehold(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] {
  switch (command.type) {
    case "RegisterHousehold": {
      const data = command.data;
      if (isRegistered(state)) {
        // A retry of the same registration is answered with nothing new; anything else is a conflict.
        if (same(registeredData(state), data)) return [];
        throw new AlreadyExists("household", data.householdId);
      }
      const ids = new Set<string>();
      for (const m of data.members) {
        if (ids.has(m.memberId)) throw new MemberAlreadyExists(m.memberId);
        ids.add(m.memberId);
      }
      if (!ids.has(data.headMemberId)) throw new MemberNotInHousehold(data.headMemberId, data.householdId);
      return [{ type: "HouseholdRegistered", data }];
    }
    case "ChangeHouseholdStatus": {
      const { householdId, to, reason, effectiveOn, actor } = command.data;
      const household = requireRegistered(state, householdId);
      const last = household.statusHistory.at(-1);
      if (last && last.to === to && last.effectiveOn === effectiveOn && last.reason === reason) return [];
      if (!canTransition(household.status, to)) throw new StatusTransitionInvalid(household.status, to);
      // An earlier effective date than previous changes is accepted (a late record is still a fact,
      // invariant 4); only a date before the household existed is impossible.
      if (compareDates(effectiveOn, household.registeredOn) < 0) {
        throw new DateInvalid(effectiveOn, `before registration on ${household.registeredOn}`);
      }
      return [{ type: "HouseholdStatusChanged", data: { householdId, from: household.status, to, reason, effectiveOn, actor } }];
    }
    case "CorrectMember": {
      const household = requireRegistered(state, command.data.householdId);
      const member = findMember(household, command.data.memberId);
      if (!member) throw new MemberNotInHousehold(command.data.memberId, household.householdId);
      const d = command.data;
      if (same(member[d.field], d.newValue)) return [];
      // Each branch narrows field and value together so the event stays well-typed.
      const data = ((): MemberCorrected["data"] => {
        const base = { householdId: d.householdId, memberId: d.memberId, reason: d.reason };
        switch (d.field) {
          case "name":
            return { ...base, field: d.field, oldValue: member.name, newValue: d.newValue };
          case "nationalId":
            return { ...base, field: d.field, oldValue: member.nationalId, newValue: d.newValue };
          case "birthDate":
            return { ...base, field: d.field, oldValue: member.birthDate, newValue: d.newValue };
          case "relation":
            return { ...base, field: d.field, oldValue: member.relation, newValue: d.newValue };
          case "schoolLevel":
            return { ...base, field: d.field, oldValue: member.schoolLevel, newValue: d.newValue };
          case "health":
            return { ...base, field: d.field, oldValue: member.health, newValue: d.newValue };
          default: {
            const _exhaustive: never = d;
            throw new UnknownCommand(_exhaustive);
          }
        }
      })();
      return [{ type: "MemberCorrected", data }];
    }
    case "AddMember": {
      const household = requireRegistered(state, command.data.householdId);
      const existing = findMember(household, command.data.member.memberId);
      if (existing) {
        if (same(existing, command.data.member)) return [];
        throw new MemberAlreadyExists(command.data.member.memberId);
      }
      return [{ type: "MemberAdded", data: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveHousehold(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  switch (event.type) {
    case "HouseholdRegistered": {
      if (isRegistered(state)) throw new ImpossibleEvent(event.type, state.status);
      const { bankAccount, ...rest } = event.data;
      return { ...rest, ...(bankAccount ? { bankAccount } : {}), status: "enrolled", statusHistory: [] };
    }
    case "HouseholdStatusChanged": {
      if (!isRegistered(state)) throw new ImpossibleEvent(event.type, state.status);
      const { from, to, effectiveOn, reason, actor } = event.data;
      return { ...state, status: to, statusHistory: [...state.statusHistory, { from, to, effectiveOn, reason, actor }] };
    }
    case "MemberCorrected": {
      if (!isRegistered(state)) throw new ImpossibleEvent(event.type, state.status);
      const d = event.data;
      const members = state.members.map((m): Member => (m.memberId === d.memberId ? ({ ...m, [d.field]: d.newValue } as Member) : m));
      return { ...state, members };
    }
    case "MemberAdded": {
      if (!isRegistered(state)) throw new ImpossibleEvent(event.type, state.status);
      return { ...state, members: [...state.members, event.data.member] };
    }
    default: {
      const _exhaustive: never = event;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const householdDecider: Decider<HouseholdCommand, HouseholdState, HouseholdEvent> = {
  decide: decideHousehold,
  evolve: evolveHousehold,
  initialState: initialHouseholdState,
};
