import { describe, expect, it } from "vitest";
import {
  AllocationConflict,
  AlreadyExists,
  AmountInvalid,
  BudgetExceeded,
  ProgramNotFound,
  ReservationConflict,
  ReservationNotFound,
  RuleInvalid,
} from "../shared/errors.js";
import { deciderSpec } from "../testing/given-when-then.js";
import { programDefined, rules } from "../testing/fixtures.js";
import type { AllocationAdded, FundsReserved, ProgramEvent, ReservationReleased } from "./program-events.js";
import { programDecider, replayProgram } from "./program-decider.js";
import { replay } from "../shared/decider.js";
import { type DefinedProgram, programBudget } from "./program-state.js";

const { given } = deciderSpec(programDecider);
const P = "prog-dibao";
const defined = programDefined(rules.dibao, P);
const allocation = (allocationId: string, amountFen: number): AllocationAdded => ({
  type: "AllocationAdded",
  data: { programId: P, allocationId, amountFen, period: "2024", note: "" },
});
const reserved = (disbursementId: string, amountFen: number): FundsReserved => ({ type: "FundsReserved", data: { programId: P, disbursementId, amountFen } });
const released = (disbursementId: string): ReservationReleased => ({
  type: "ReservationReleased",
  data: { programId: P, disbursementId, reason: "reversed" },
});
const reserve = (disbursementId: string, amountFen: number) => ({ type: "ReserveFunds" as const, data: { programId: P, disbursementId, amountFen } });

// 10,000 fen allocated, 9,000 reserved: exactly 1,000 fen remain.
const budget1000 = [defined, allocation("a1", 10_000), reserved("d1", 9_000)];

describe("program decider: the program stream is the budget", () => {
  it("reserving exactly the remaining budget is allowed (remaining becomes 0)", () => {
    given(budget1000).when(reserve("d2", 1_000)).then([reserved("d2", 1_000)]);
    const after = replay(programDecider, [...budget1000, reserved("d2", 1_000)]) as DefinedProgram;
    expect(programBudget(after)).toEqual({ allocatedFen: 10_000, reservedFen: 10_000, remainingFen: 0 });
  });

  it("one fen over the remaining budget is refused with budget_exceeded", () => {
    given(budget1000).when(reserve("d2", 1_001)).thenThrows(BudgetExceeded, { code: "budget_exceeded", remainingFen: 1_000, requestedFen: 1_001 });
  });

  it("with 0 remaining even one fen is refused", () => {
    given([...budget1000, reserved("d2", 1_000)]).when(reserve("d3", 1)).thenThrows(BudgetExceeded, { remainingFen: 0 });
  });

  it("a reservation for an id already reserved with the same amount is idempotent", () => {
    given(budget1000).when(reserve("d1", 9_000)).then([]);
  });

  it("the same id with another amount is a conflict", () => {
    given(budget1000).when(reserve("d1", 9_001)).thenThrows(ReservationConflict);
  });

  it("a released reservation frees its budget", () => {
    given([...budget1000, released("d1")]).when(reserve("d2", 10_000)).then([reserved("d2", 10_000)]);
  });

  it("a released disbursement id is never reserved again", () => {
    given([...budget1000, released("d1")]).when(reserve("d1", 9_000)).thenThrows(ReservationConflict);
  });

  it.each([0, -100, 12.5, Number.NaN])("refuses to reserve %s fen with amount_invalid", (amount) => {
    given(budget1000).when(reserve("d2", amount)).thenThrows(AmountInvalid, { code: "amount_invalid" });
  });

  it("refuses reserving on an undefined program", () => {
    given([]).when(reserve("d1", 1)).thenThrows(ProgramNotFound);
  });

  describe("ReleaseReservation", () => {
    const release = (disbursementId: string) => ({ type: "ReleaseReservation" as const, data: { programId: P, disbursementId, reason: "reversed" } });
    it("releases an active reservation", () => {
      given(budget1000).when(release("d1")).then([released("d1")]);
    });
    it("a retried release is a no-op", () => {
      given([...budget1000, released("d1")]).when(release("d1")).then([]);
    });
    it("refuses an unknown id", () => {
      given(budget1000).when(release("nope")).thenThrows(ReservationNotFound, { code: "reservation_not_found" });
    });
  });

  describe("AddAllocation", () => {
    const add = (allocationId: string, amountFen: number, period = "2024") => ({
      type: "AddAllocation" as const,
      data: { programId: P, allocationId, amountFen, period, note: "" },
    });
    it("adds budget", () => {
      given([defined]).when(add("a1", 10_000)).then([allocation("a1", 10_000)]);
    });
    it("a retried allocation is a no-op, a different one with the same id a conflict", () => {
      given([defined, allocation("a1", 10_000)]).when(add("a1", 10_000)).then([]);
      given([defined, allocation("a1", 10_000)]).when(add("a1", 10_001)).thenThrows(AllocationConflict);
    });
    it.each([0, -1, 0.5])("refuses %s fen", (amount) => {
      given([defined]).when(add("a1", amount)).thenThrows(AmountInvalid);
    });
  });

  describe("DefineProgram and ReviseProgramRule: rules are versioned data", () => {
    it("defines a program at rule version 1, idempotently", () => {
      given([]).when({ type: "DefineProgram", data: defined.data }).then([defined]);
      given([defined]).when({ type: "DefineProgram", data: defined.data }).then([]);
      given([defined]).when({ type: "DefineProgram", data: { ...defined.data, name: "other" } }).thenThrows(AlreadyExists);
    });
    it("refuses a first rule that is not version 1, or of another kind", () => {
      given([]).when({ type: "DefineProgram", data: { ...defined.data, rule: { ...rules.dibao, version: 2 } } }).thenThrows(RuleInvalid);
      given([]).when({ type: "DefineProgram", data: { ...defined.data, rule: rules.solar_subsidy } }).thenThrows(RuleInvalid, { code: "rule_invalid" });
    });
    it("refuses a rule breaking its kind's refinements (dibao one-off)", () => {
      given([]).when({ type: "DefineProgram", data: { ...defined.data, rule: { ...rules.dibao, granularity: "one_off" } } }).thenThrows(RuleInvalid);
    });
    it("revises to version n+1 only", () => {
      const v2 = { ...rules.dibao, version: 2, annualStandardPerPersonFen: 400_000 };
      given([defined]).when({ type: "ReviseProgramRule", data: { programId: P, rule: v2 } }).then([{ type: "ProgramRuleRevised", data: { programId: P, rule: v2 } }]);
      given([defined]).when({ type: "ReviseProgramRule", data: { programId: P, rule: { ...v2, version: 3 } } }).thenThrows(RuleInvalid);
      given([defined, { type: "ProgramRuleRevised", data: { programId: P, rule: v2 } }])
        .when({ type: "ReviseProgramRule", data: { programId: P, rule: v2 } })
        .then([]);
    });
  });

  it("evolve leaves the state it was given as it was (a writer decides on provisional states and may drop them)", () => {
    const events: ProgramEvent[] = [defined, allocation("a1", 50_000)];
    for (let i = 0; i < 20; i++) events.push(reserved(`d${i}`, 1_000 + i));
    const before = replayProgram(events) as DefinedProgram;
    const after = programDecider.evolve(programDecider.evolve(before, released("d3")), reserved("d20", 500)) as DefinedProgram;
    expect([before.reservations.has("d3"), before.released.has("d3"), before.reservations.has("d20"), before.reservedFen]).toEqual([true, false, false, 20_190]);
    expect([after.reservations.has("d3"), after.released.get("d3"), after.reservations.get("d20"), after.reservedFen]).toEqual([false, 1_003, 500, 19_687]);
    expect(programBudget(before).remainingFen).toBe(50_000 - 20_190);
  });
});
