import type { EventStore } from "@aidtrail/event-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandHandlers, createCommandHandlers } from "../command-handlers.js";
import type { PiiVault } from "../pii/pii-vault.js";
import { approver, contextOf, defineFundedProgram, dibaoRule, grantRule, officer, registerHouseholds } from "./command-fixtures.js";
import { allEvents, budgetFromEvents, eventsOf } from "./event-queries.js";
import { payment as pay, recordedAnswers as recorded, refusedWith } from "./payment-fixtures.js";

export interface InvariantSubject {
  store: EventStore;
  vault: PiiVault;
  teardown(): Promise<void>;
}

/** SPEC.md invariants 1–6 raced through the command handlers; every EventStore adapter must pass. */
export function runInvariantSuite(name: string, setup: () => Promise<InvariantSubject>): void {
  describe(`disbursement invariants on ${name}`, () => {
    let subject: InvariantSubject;
    let handlers: CommandHandlers;

    beforeAll(async () => {
      subject = await setup();
      handlers = createCommandHandlers({ store: subject.store, vault: subject.vault });
    });
    afterAll(() => subject.teardown());

    it("invariant 3: 100 concurrent payments against a budget that fits exactly 50 record exactly 50 and leave 0", async () => {
      const households = await registerHouseholds(handlers, "i3h", 100);
      await defineFundedProgram(handlers, "i3-grant", grantRule, 50 * 10_000);
      // Ten officers, each with its own handlers (own cache and mutexes), as ten API processes would.
      const officers = Array.from({ length: 10 }, () => createCommandHandlers({ store: subject.store, vault: subject.vault }));
      const answers = await Promise.all(
        households.map((h, i) => officers[i % 10]!.recordDisbursement(pay(`i3-d${i}`, h, "i3-grant", 10_000), officer(`officer-${i % 10}`))),
      );
      expect(recorded(answers)).toHaveLength(50);
      expect(refusedWith(answers, "budget_exceeded")).toHaveLength(50);
      expect(await budgetFromEvents(subject.store, "i3-grant")).toEqual({ allocatedFen: 500_000, heldFen: 500_000, remainingFen: 0 });
      const events = await allEvents(subject.store);
      const recordedFen = eventsOf(events, "DisbursementRecorded")
        .map((e) => e.data as { programId: string; amountFen: number })
        .filter((d) => d.programId === "i3-grant")
        .reduce((sum, d) => sum + d.amountFen, 0);
      expect(recordedFen).toBe(500_000);
      // A refused payment keeps no slot: the 50 refused households can still be paid later.
      const slotsHeld = eventsOf(events, "SlotClaimed").length - eventsOf(events, "SlotReleased").length;
      expect(slotsHeld).toBe(50);
    });

    it("invariant 1: 20 concurrent retries of one disbursementId append one DisbursementRecorded and get 20 identical answers", async () => {
      const [h] = await registerHouseholds(handlers, "i1h", 1, 100);
      await defineFundedProgram(handlers, "i1-grant", grantRule, 1_000_000);
      const body = pay("i1-d1", h!, "i1-grant", 300_000);
      // Half through the shared handlers, half through fresh ones: in-process queueing and cross-process races both.
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? handlers : createCommandHandlers({ store: subject.store, vault: subject.vault })).recordDisbursement(
            { ...body },
            officer(),
          ),
        ),
      );
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toMatchObject({ outcome: "recorded", status: "recorded", disbursementId: "i1-d1", amountFen: 300_000 });
      const events = await allEvents(subject.store);
      expect(eventsOf(events, "DisbursementInitiated", "i1-d1")).toHaveLength(1);
      expect(eventsOf(events, "DisbursementRecorded", "i1-d1")).toHaveLength(1);
      expect(eventsOf(events, "FundsReserved", "i1-d1")).toHaveLength(1);
      expect(eventsOf(events, "SlotClaimed", "i1-d1")).toHaveLength(1);
      // Later retries, after the fact, still get the first answer.
      expect(await handlers.recordDisbursement(body, officer())).toEqual(answers[0]);
    });

    it("invariant 1: the same disbursementId with a different body is refused with idempotency_conflict and appends nothing", async () => {
      const [h] = await registerHouseholds(handlers, "i1c", 1, 200);
      await defineFundedProgram(handlers, "i1c-grant", grantRule, 1_000_000);
      const first = await handlers.recordDisbursement(pay("i1c-d1", h!, "i1c-grant", 100_000), officer());
      const before = (await allEvents(subject.store)).length;
      await expect(handlers.recordDisbursement(pay("i1c-d1", h!, "i1c-grant", 100_001), officer())).rejects.toMatchObject({
        code: "idempotency_conflict",
      });
      expect((await allEvents(subject.store)).length).toBe(before);
      expect(await handlers.recordDisbursement(pay("i1c-d1", h!, "i1c-grant", 100_000), officer())).toEqual(first);
    });

    it("invariant 2: 10 concurrent payments of one household/program/period record one", async () => {
      const [h] = await registerHouseholds(handlers, "i2h", 1, 300);
      await defineFundedProgram(handlers, "i2-dibao", dibaoRule, 10_000_000);
      const instances = Array.from({ length: 5 }, () => createCommandHandlers({ store: subject.store, vault: subject.vault }));
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => instances[i % 5]!.recordDisbursement(pay(`i2-d${i}`, h!, "i2-dibao", 95_000, "2024-05"), officer())),
      );
      expect(recorded(answers)).toHaveLength(1);
      expect(refusedWith(answers, "slot_taken")).toHaveLength(9);
      // The refused nine hold no budget.
      expect(await budgetFromEvents(subject.store, "i2-dibao")).toMatchObject({ heldFen: 95_000 });
      // Another period of the same household is a different slot.
      expect(await handlers.recordDisbursement(pay("i2-june", h!, "i2-dibao", 95_000, "2024-06"), officer())).toMatchObject({ outcome: "recorded" });
    });

    it("invariant 2 and 3: a reversal frees the slot and the budget, so the period can be paid again", async () => {
      const [h] = await registerHouseholds(handlers, "rvh", 1, 400);
      await defineFundedProgram(handlers, "rv-dibao", dibaoRule, 95_000);
      expect(await handlers.recordDisbursement(pay("rv-d1", h!, "rv-dibao", 95_000, "2024-05"), officer())).toMatchObject({ outcome: "recorded" });
      expect(await budgetFromEvents(subject.store, "rv-dibao")).toMatchObject({ remainingFen: 0 });
      expect(await handlers.recordDisbursement(pay("rv-d2", h!, "rv-dibao", 95_000, "2024-05"), officer())).toMatchObject({
        outcome: "refused",
        code: "slot_taken",
      });
      const reversal = await handlers.reverseDisbursement({ disbursementId: "rv-d1", reason: "paid to the wrong card" }, officer());
      expect(reversal.events.map((e) => e.type)).toEqual(["DisbursementReversed"]);
      expect(await budgetFromEvents(subject.store, "rv-dibao")).toMatchObject({ remainingFen: 95_000 });
      expect(await handlers.recordDisbursement(pay("rv-d3", h!, "rv-dibao", 95_000, "2024-05"), officer())).toMatchObject({ outcome: "recorded" });
      await expect(handlers.reverseDisbursement({ disbursementId: "rv-d1", reason: "again" }, officer())).rejects.toMatchObject({
        code: "already_reversed",
      });
      const events = await allEvents(subject.store);
      expect(eventsOf(events, "DisbursementReversed", "rv-d1")).toHaveLength(1);
      expect((eventsOf(events, "DisbursementReversed", "rv-d1")[0]!.data as { originalPosition?: string }).originalPosition).toBe(
        eventsOf(events, "DisbursementRecorded", "rv-d1")[0]!.position.toString(),
      );
    });

    it("invariant 5: above the threshold a payment is pending_approval, its preparer cannot approve it, another approver can", async () => {
      const [h] = await registerHouseholds(handlers, "mch", 1, 500);
      await defineFundedProgram(handlers, "mc-grant", grantRule, 2_000_000);
      const preparer = contextOf("wang", ["officer", "approver"]);
      const answer = await handlers.recordDisbursement(pay("mc-d1", h!, "mc-grant", 600_000), preparer);
      expect(answer).toMatchObject({ outcome: "recorded", status: "pending_approval" });
      await expect(handlers.approveDisbursement({ disbursementId: "mc-d1" }, preparer)).rejects.toMatchObject({ code: "self_approval" });
      await expect(handlers.approveDisbursement({ disbursementId: "mc-d1" }, officer("li"))).rejects.toMatchObject({ code: "role_required" });
      const approved = await handlers.approveDisbursement({ disbursementId: "mc-d1" }, approver("zhao"));
      expect(approved.events.map((e) => e.type)).toEqual(["DisbursementApproved"]);
      // The retry still answers with the first answer: pending_approval at the same position.
      expect(await handlers.recordDisbursement(pay("mc-d1", h!, "mc-grant", 600_000), preparer)).toEqual(answer);
      // A below-threshold payment is recorded directly.
      const [h2] = await registerHouseholds(handlers, "mch2", 1, 510);
      expect(await handlers.recordDisbursement(pay("mc-d2", h2!, "mc-grant", 500_000), preparer)).toMatchObject({ status: "recorded" });
    });

    it("invariant 5: a rejected payment releases its slot and its budget", async () => {
      const [h] = await registerHouseholds(handlers, "rjh", 1, 600);
      await defineFundedProgram(handlers, "rj-grant", grantRule, 600_000);
      await handlers.recordDisbursement(pay("rj-d1", h!, "rj-grant", 600_000), officer());
      expect(await budgetFromEvents(subject.store, "rj-grant")).toMatchObject({ remainingFen: 0 });
      await handlers.rejectDisbursement({ disbursementId: "rj-d1", reason: "no receipt" }, approver());
      expect(await budgetFromEvents(subject.store, "rj-grant")).toMatchObject({ remainingFen: 600_000 });
      expect(await handlers.recordDisbursement(pay("rj-d2", h!, "rj-grant", 200_000), officer())).toMatchObject({ status: "recorded" });
    });

    it("invariant 4: an exited household is refused with household_not_eligible, and that refusal is the lasting answer", async () => {
      const [h] = await registerHouseholds(handlers, "exh", 1, 700);
      await defineFundedProgram(handlers, "ex-grant", grantRule, 1_000_000);
      await handlers.changeHouseholdStatus({ householdId: h!, to: "pre_exit", reason: "income above the line", effectiveOn: "2023-10-01" }, officer());
      await handlers.changeHouseholdStatus({ householdId: h!, to: "exited", reason: "exit verified", effectiveOn: "2023-12-31" }, officer());
      const answer = await handlers.recordDisbursement(pay("ex-d1", h!, "ex-grant", 100_000), officer());
      expect(answer).toMatchObject({ outcome: "refused", code: "household_not_eligible" });
      expect(await handlers.recordDisbursement(pay("ex-d1", h!, "ex-grant", 100_000), officer())).toEqual(answer);
      expect(await budgetFromEvents(subject.store, "ex-grant")).toMatchObject({ heldFen: 0 });
    });

    it("invariant 6: amounts as floats (or strings, or zero) are refused with amount_invalid and nothing is written", async () => {
      const [h] = await registerHouseholds(handlers, "fl", 1, 800);
      await defineFundedProgram(handlers, "fl-grant", grantRule, 1_000_000);
      const before = (await allEvents(subject.store)).length;
      for (const amountFen of [100.5, 0.1 + 0.2, "100", 0, -5, Number.NaN, 2 ** 53]) {
        await expect(handlers.recordDisbursement({ ...pay("fl-d1", h!, "fl-grant", 1), amountFen }, officer())).rejects.toMatchObject({
          code: "amount_invalid",
        });
      }
      await expect(
        handlers.addAllocation({ programId: "fl-grant", allocationId: "fl-a2", amountFen: 10.5, period: "2024", note: "x" }, contextOf("a", ["admin"])),
      ).rejects.toThrow();
      expect((await allEvents(subject.store)).length).toBe(before);
    });
  });
}
