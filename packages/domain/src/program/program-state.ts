import type { PersistentMap } from "./persistent-map.js";
import type { ProgramKind, ProgramRule } from "./program-rule.js";

export interface UndefinedProgram {
  status: "undefined";
}

/**
 * A program and its budget. The program stream is the budget: remaining = allocated − active
 * reservations, and every reservation is appended to this stream with optimistic concurrency,
 * so two officers can never both spend the last fen.
 */
export interface DefinedProgram {
  status: "defined";
  programId: string;
  name: string;
  kind: ProgramKind;
  fundingSource: string;
  /** rules[i] is version i + 1; the last is current. */
  rules: readonly ProgramRule[];
  allocations: ReadonlyMap<string, { amountFen: number; period: string }>;
  allocatedFen: number;
  /** Active reservations by disbursement id (one per payment: persistent, so an event does not copy them). */
  reservations: PersistentMap<number>;
  /** Released reservations by disbursement id: a disbursement id is never reserved again. */
  released: PersistentMap<number>;
  reservedFen: number;
}

export type ProgramState = UndefinedProgram | DefinedProgram;

export function currentRule(program: DefinedProgram): ProgramRule {
  const rule = program.rules.at(-1);
  if (!rule) throw new Error("a defined program always has a rule");
  return rule;
}

/** The rule of a given version, to re-check an old payment against the rule it was paid under. */
export function ruleVersion(program: DefinedProgram, version: number): ProgramRule | undefined {
  return program.rules[version - 1];
}

export interface Budget {
  allocatedFen: number;
  /** Held by recorded, pending or in-flight disbursements. */
  reservedFen: number;
  remainingFen: number;
}

export function programBudget(program: DefinedProgram): Budget {
  return { allocatedFen: program.allocatedFen, reservedFen: program.reservedFen, remainingFen: program.allocatedFen - program.reservedFen };
}
