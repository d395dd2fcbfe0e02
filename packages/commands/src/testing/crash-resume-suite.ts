import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandHandlers } from "../command-handlers.js";
import { recoverStuckDisbursements } from "../disbursement/recover-stuck-disbursements.js";
import { defineFundedProgram, dibaoRule, officer, registerHouseholds } from "./command-fixtures.js";
import { CrashingStore } from "./crashing-store.js";
import { InterleavingStore } from "./interleaving-store.js";
import { allEvents, budgetFromEvents, eventsOf } from "./event-queries.js";
import type { InvariantSubject } from "./invariant-suite.js";
import { householdChanges } from "./saga-recheck-suite.js";

const pay = (disbursementId: string, householdId: string, programId: string, period: string) => ({
  disbursementId,
  householdId,
  programId,
  period,
  amountFen: 95_000,
  paidOn: "2024-05-20",
  channel: "one_card" as const,
  reference: `ref-${disbursementId}`,
});

const steps = [
  ["DisbursementInitiated", "after"],
  ["SlotClaimed", "before"],
  ["SlotClaimed", "after"],
  ["FundsReserved", "before"],
  ["FundsReserved", "after"],
  ["DisbursementRecorded", "before"],
  ["DisbursementRecorded", "after"],
] as const;

/** A process dying between the saga's steps; a retry or the sweep finishes it with exactly one payment. */
export function runCrashResumeSuite(name: string, setup: () => Promise<InvariantSubject>): void {
  describe(`disbursement saga crash and resume on ${name}`, () => {
    let subject: InvariantSubject;
    let household: string;

    beforeAll(async () => {
      subject = await setup();
      const handlers = createCommandHandlers({ store: subject.store, vault: subject.vault });
      [household] = (await registerHouseholds(handlers, "cr", 1)) as [string];
      await defineFundedProgram(handlers, "cr-dibao", dibaoRule, 12 * 95_000);
    });
    afterAll(() => subject.teardown());

    it.each(steps.map(([type, when], i) => [type, when, i] as const))(
      "a crash %s appending %s is finished by a retry with one payment",
      async (type, when, i) => {
        const id = `cr-${type}-${when}`;
        const body = pay(id, household, "cr-dibao", `2024-${String(i + 1).padStart(2, "0")}`);
        const crashing = new CrashingStore(subject.store);
        crashing.crashOn(type, when);
        await expect(createCommandHandlers({ store: crashing, vault: subject.vault }).recordDisbursement(body, officer())).rejects.toThrow(
          /simulated crash/,
        );
        // The process restarts: fresh handlers, empty cache, same body.
        const answer = await createCommandHandlers({ store: subject.store, vault: subject.vault }).recordDisbursement(body, officer());
        expect(answer).toMatchObject({ outcome: "recorded", status: "recorded", amountFen: 95_000 });
        const events = await allEvents(subject.store);
        for (const t of ["DisbursementInitiated", "SlotClaimed", "FundsReserved", "DisbursementRecorded"]) {
          expect(eventsOf(events, t, id), t).toHaveLength(1);
        }
        expect(answer).toMatchObject({ position: eventsOf(events, "DisbursementRecorded", id)[0]!.position.toString() });
      },
    );

    it.each(["before", "after"] as const)(
      "a crash %s the single append of a new payment leaves none or all of its four events; a retry answers with one payment",
      async (when) => {
        const id = `cr-one-${when}`;
        const body = pay(id, household, "cr-dibao", when === "before" ? "2024-10" : "2024-11");
        const crashing = new CrashingStore(subject.store, { multiStream: true });
        expect(crashing.appendMany).toBeTypeOf("function");
        crashing.crashOn("DisbursementRecorded", when);
        await expect(createCommandHandlers({ store: crashing, vault: subject.vault }).recordDisbursement(body, officer())).rejects.toThrow(
          /simulated crash/,
        );
        const types = ["DisbursementInitiated", "SlotClaimed", "FundsReserved", "DisbursementRecorded"];
        let events = await allEvents(subject.store);
        for (const t of types) expect(eventsOf(events, t, id), t).toHaveLength(when === "before" ? 0 : 1);
        // Nothing half-done for the sweep to finish, whichever way it crashed.
        expect((await recoverStuckDisbursements(subject.store, new Date(Date.now() + 60_000))).resumed).not.toContain(id);
        const answer = await createCommandHandlers({ store: subject.store, vault: subject.vault }).recordDisbursement(body, officer());
        events = await allEvents(subject.store);
        for (const t of types) expect(eventsOf(events, t, id), t).toHaveLength(1);
        expect(new Set(types.map((t) => eventsOf(events, t, id)[0]!.transactionId)).size).toBe(1);
        expect(answer).toMatchObject({ outcome: "recorded", position: eventsOf(events, "DisbursementRecorded", id)[0]!.position.toString() });
      },
    );

    it.each([
      ["an exit", "exitEarlier", "refused"],
      ["a member's name corrected", "renameMember", "recorded"],
    ] as const)(
      "a crash right after the saga's reserve-and-record append failed its household check (%s landed after the read): a retry assesses again, %s",
      async (_, change, outcome) => {
        const other = createCommandHandlers({ store: subject.store, vault: subject.vault });
        const prefix = `crc-${change}`;
        const [h] = (await registerHouseholds(other, prefix, 1, 70)) as [string];
        await defineFundedProgram(other, `${prefix}-dibao`, dibaoRule, 3 * 95_000);
        const crashing = new CrashingStore(subject.store, { multiStream: true });
        const store = new InterleavingStore(crashing);
        const paying = createCommandHandlers({ store, vault: subject.vault });
        await paying.recordDisbursement(pay(`${prefix}-d1`, h, `${prefix}-dibao`, "2024-01"), officer()); // household cached
        // The pre-exit fails the single append's check (the payment takes the saga); the second
        // change lands between the saga's read and its append, which conflicts, and the process dies.
        store.before("FundsReserved", () => householdChanges.preExit(other, h), async () => {
          await householdChanges[change](other, h);
          crashing.crashOn("FundsReserved", "on_conflict");
        });
        const id = `${prefix}-d2`;
        const body = pay(id, h, `${prefix}-dibao`, "2024-02");
        await expect(paying.recordDisbursement(body, officer())).rejects.toThrow(/simulated crash on a conflict/);
        let events = await allEvents(subject.store);
        expect(eventsOf(events, "DisbursementInitiated", id)).toHaveLength(1);
        expect(eventsOf(events, "SlotClaimed", id)).toHaveLength(1);
        expect(eventsOf(events, "FundsReserved", id)).toHaveLength(0);
        // The process restarts: fresh handlers, empty cache, same body.
        const answer = await createCommandHandlers({ store: subject.store, vault: subject.vault }).recordDisbursement(body, officer());
        events = await allEvents(subject.store);
        if (outcome === "refused") {
          expect(answer).toMatchObject({ outcome: "refused", code: "household_not_eligible" });
          expect(eventsOf(events, "SlotReleased", id)).toHaveLength(1);
          expect(eventsOf(events, "FundsReserved", id)).toHaveLength(0);
        } else {
          expect(answer).toMatchObject({ outcome: "recorded", position: eventsOf(events, "DisbursementRecorded", id)[0]!.position.toString() });
          for (const t of ["SlotClaimed", "FundsReserved", "DisbursementRecorded"]) expect(eventsOf(events, t, id), t).toHaveLength(1);
        }
        expect(await budgetFromEvents(subject.store, `${prefix}-dibao`)).toMatchObject({ heldFen: (outcome === "refused" ? 1 : 2) * 95_000 });
      },
    );

    it("the recovery sweep finishes a payment abandoned after its slot was claimed; the client's retry then gets that answer", async () => {
      const id = "cr-sweep";
      const body = pay(id, household, "cr-dibao", "2024-08");
      const crashing = new CrashingStore(subject.store);
      crashing.crashOn("SlotClaimed", "after");
      await expect(createCommandHandlers({ store: crashing, vault: subject.vault }).recordDisbursement(body, officer())).rejects.toThrow();
      await allEvents(subject.store); // the sweep reads the global log, which shows a commit once older transactions end
      const report = await recoverStuckDisbursements(subject.store, new Date(Date.now() + 60_000));
      expect(report.resumed).toEqual([id]);
      const events = await allEvents(subject.store);
      expect(eventsOf(events, "DisbursementRecorded", id)).toHaveLength(1);
      const answer = await createCommandHandlers({ store: subject.store, vault: subject.vault }).recordDisbursement(body, officer());
      expect(answer).toMatchObject({ outcome: "recorded", position: eventsOf(events, "DisbursementRecorded", id)[0]!.position.toString() });
      expect(await recoverStuckDisbursements(subject.store, new Date(Date.now() + 60_000))).toEqual({ resumed: [], settled: [] });
    });

    it("a crash after the refusal but before its compensation is settled by the sweep: slot and budget come back", async () => {
      const handlers = createCommandHandlers({ store: subject.store, vault: subject.vault });
      const [poor] = (await registerHouseholds(handlers, "crr", 1, 50)) as [string];
      await defineFundedProgram(handlers, "crr-dibao", dibaoRule, 95_000);
      const [rich] = (await registerHouseholds(handlers, "crq", 1, 60)) as [string];
      // The budget holds one payment: the first takes it, the second is refused after claiming its slot.
      await handlers.recordDisbursement(pay("crr-1", rich, "crr-dibao", "2024-05"), officer());
      const crashing = new CrashingStore(subject.store);
      crashing.crashOn("DisbursementRefused", "after");
      await expect(
        createCommandHandlers({ store: crashing, vault: subject.vault }).recordDisbursement(pay("crr-2", poor, "crr-dibao", "2024-05"), officer()),
      ).rejects.toThrow();
      let events = await allEvents(subject.store);
      expect(eventsOf(events, "SlotClaimed", "crr-2")).toHaveLength(1);
      expect(eventsOf(events, "SlotReleased", "crr-2")).toHaveLength(0);
      const report = await recoverStuckDisbursements(subject.store, new Date(Date.now() + 60_000));
      expect(report.settled).toContain("crr-2");
      events = await allEvents(subject.store);
      expect(eventsOf(events, "SlotReleased", "crr-2")).toHaveLength(1);
      expect(await budgetFromEvents(subject.store, "crr-dibao")).toMatchObject({ heldFen: 95_000 });
      // The refusal stands as the answer to its retry.
      expect(await handlers.recordDisbursement(pay("crr-2", poor, "crr-dibao", "2024-05"), officer())).toMatchObject({
        outcome: "refused",
        code: "budget_exceeded",
      });
    });
  });
}
