import { canonicalJson } from "../shared/canonical-json.js";
import type { Decider } from "../shared/decider.js";
import {
  AllocationConflict,
  AlreadyExists,
  BudgetExceeded,
  ImpossibleEvent,
  ProgramNotFound,
  ReservationConflict,
  ReservationNotFound,
  RuleInvalid,
  UnknownCommand,
} from "../shared/errors.js";
import { requirePositiveFen, requireSafe } from "../shared/fen.js";
import type { ProgramCommand } from "./program-commands.js";
import type { ProgramEvent } from "./program-events.js";
import { PersistentMap } from "./persistent-map.js";
import { type ProgramKind, ProgramRule } from "./program-rule.js";
import { type DefinedProgram, type ProgramState, currentRule, programBudget } from "./program-state.js";

export function initialProgramState(): ProgramState {
  return { status: "undefined" };
}

function requireDefined(state: ProgramState, programId: string): DefinedProgram {
  if (state.status !== "defined") throw new ProgramNotFound(programId);
  return state;
}

/** Refinements (granularity, perMember...) live in the zod schema; run them even on typed input. */
function validRule(rule: ProgramRule, kind: ProgramKind): ProgramRule {
  const parsed = ProgramRule.safeParse(rule);
  if (!parsed.success) throw new RuleInvalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  if (parsed.data.kind !== kind) throw new RuleInvalid(`rule of kind ${parsed.data.kind} for a ${kind} program`);
  return parsed.data;
}

export function decideProgram(command: ProgramCommand, state: ProgramState): ProgramEvent[] {
  switch (command.type) {
    case "DefineProgram": {
      const d = command.data;
      if (state.status === "defined") {
        const defined = { programId: state.programId, name: state.name, kind: state.kind, rule: state.rules[0], fundingSource: state.fundingSource };
        if (canonicalJson(defined) === canonicalJson(d)) return [];
        throw new AlreadyExists("program", d.programId);
      }
      const rule = validRule(d.rule, d.kind);
      if (rule.version !== 1) throw new RuleInvalid(`a new program starts at rule version 1, not ${rule.version}`);
      return [{ type: "ProgramDefined", data: d }];
    }
    case "ReviseProgramRule": {
      const program = requireDefined(state, command.data.programId);
      const rule = validRule(command.data.rule, program.kind);
      const current = currentRule(program);
      if (rule.version === current.version && canonicalJson(rule) === canonicalJson(current)) return [];
      if (rule.version !== current.version + 1) {
        throw new RuleInvalid(`the next rule version is ${current.version + 1}, not ${rule.version}`);
      }
      return [{ type: "ProgramRuleRevised", data: command.data }];
    }
    case "AddAllocation": {
      const program = requireDefined(state, command.data.programId);
      const { allocationId, amountFen, period } = command.data;
      requirePositiveFen("amountFen", amountFen);
      const existing = program.allocations.get(allocationId);
      if (existing) {
        if (existing.amountFen === amountFen && existing.period === period) return [];
        throw new AllocationConflict(allocationId);
      }
      requireSafe("allocatedFen", program.allocatedFen + amountFen);
      return [{ type: "AllocationAdded", data: command.data }];
    }
    case "ReserveFunds": {
      const program = requireDefined(state, command.data.programId);
      const { disbursementId, amountFen } = command.data;
      requirePositiveFen("amountFen", amountFen);
      const held = program.reservations.get(disbursementId);
      if (held !== undefined) {
        if (held === amountFen) return [];
        throw new ReservationConflict(disbursementId, `already holds ${held} fen, not ${amountFen}`);
      }
      if (program.released.has(disbursementId)) {
        throw new ReservationConflict(disbursementId, "was released; a disbursement id is never reserved twice");
      }
      const { remainingFen } = programBudget(program);
      // Reaching exactly 0 is allowed; one fen more is not.
      if (amountFen > remainingFen) throw new BudgetExceeded(program.programId, amountFen, remainingFen);
      return [{ type: "FundsReserved", data: command.data }];
    }
    case "ReleaseReservation": {
      const program = requireDefined(state, command.data.programId);
      const { disbursementId } = command.data;
      if (program.reservations.has(disbursementId)) return [{ type: "ReservationReleased", data: command.data }];
      // Compensation may be retried: releasing twice is a no-op, releasing the unknown is an error.
      if (program.released.has(disbursementId)) return [];
      throw new ReservationNotFound(disbursementId);
    }
    default: {
      const _exhaustive: never = command;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveProgram(state: ProgramState, event: ProgramEvent): ProgramState {
  if (event.type === "ProgramDefined") {
    if (state.status !== "undefined") throw new ImpossibleEvent(event.type, state.status);
    const { programId, name, kind, rule, fundingSource } = event.data;
    return {
      status: "defined",
      programId,
      name,
      kind,
      fundingSource,
      rules: [rule],
      allocations: new Map(),
      allocatedFen: 0,
      reservations: PersistentMap.empty(),
      released: PersistentMap.empty(),
      reservedFen: 0,
    };
  }
  if (state.status !== "defined") throw new ImpossibleEvent(event.type, state.status);
  // Only what the event changes is new; reservations are persistent maps, so no event copies them.
  switch (event.type) {
    case "ProgramRuleRevised":
      return { ...state, rules: [...state.rules, event.data.rule] };
    case "AllocationAdded": {
      const allocations = new Map(state.allocations);
      allocations.set(event.data.allocationId, { amountFen: event.data.amountFen, period: event.data.period });
      return { ...state, allocations, allocatedFen: state.allocatedFen + event.data.amountFen };
    }
    case "FundsReserved": {
      const { disbursementId, amountFen } = event.data;
      return { ...state, reservations: state.reservations.set(disbursementId, amountFen), reservedFen: state.reservedFen + amountFen };
    }
    case "ReservationReleased": {
      const { disbursementId } = event.data;
      const held = state.reservations.get(disbursementId);
      if (held === undefined) throw new ImpossibleEvent(event.type, "no such reservation");
      return {
        ...state,
        reservations: state.reservations.delete(disbursementId),
        released: state.released.set(disbursementId, held),
        reservedFen: state.reservedFen - held,
      };
    }
    default: {
      const _exhaustive: never = event;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

/** Folds a whole program stream (a cold read); linear, as every event costs O(1) copying. */
export function replayProgram(events: readonly ProgramEvent[]): ProgramState {
  return events.reduce(evolveProgram, initialProgramState());
}

export const programDecider: Decider<ProgramCommand, ProgramState, ProgramEvent> = {
  decide: decideProgram,
  evolve: evolveProgram,
  initialState: initialProgramState,
};
