import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProgramRule, streamIds } from "@aidtrail/domain";
import { type CommandHandlers, createCommandHandlers } from "../command-handlers.js";
import { admin, defineFundedProgram, dibaoRule, officer, registerHouseholds } from "./command-fixtures.js";
import { allEvents, budgetFromEvents, eventsOf } from "./event-queries.js";
import { InterleavingStore } from "./interleaving-store.js";
import type { InvariantSubject } from "./invariant-suite.js";
import { payment } from "./payment-fixtures.js";

type DibaoRule = Extract<ProgramRule, { kind: "dibao" }>;

const pay = (id: string, householdId: string, programId: string, period: string) => payment(id, householdId, programId, 95_000, period);

/** Household changes another process records; the payments are dated 2024-05-20. */
export const householdChanges = {
  /** Pre-exit (预脱贫): still payable. */
  preExit: (by: CommandHandlers, householdId: string) =>
    by.changeHouseholdStatus({ householdId, to: "pre_exit", reason: "income", effectiveOn: "2023-10-01" }, officer()),
  /** Exited (from pre-exit) before the payment date: not payable. */
  exitEarlier: (by: CommandHandlers, householdId: string) =>
    by.changeHouseholdStatus({ householdId, to: "exited", reason: "verified", effectiveOn: "2023-12-31" }, officer()),
  /** A member's name corrected: payable, same amount. */
  renameMember: (by: CommandHandlers, householdId: string) =>
    by.correctMember({ householdId, memberId: `${householdId}-p2`, field: "name", newValue: "李娜娜", reason: "typo" }, officer()),
};

/**
 * A payment on the saga path, with a household change from another process landing between the
 * saga's read and its reservation (every time, through an InterleavingStore), on a store with
 * appendMany: the record step's revision check catches it, and the payment is assessed again.
 * The first change (pre-exit, still payable) makes the single-append attempt fail its own check, so
 * the payment takes the saga as it does in production.
 */
export function runSagaRecheckSuite(name: string, setup: () => Promise<InvariantSubject>): void {
  describe(`the saga records a payment only on the household it assessed, on ${name}`, () => {
    let subject: InvariantSubject;
    let other: CommandHandlers;
    beforeAll(async () => {
      subject = await setup();
      expect(subject.store.appendMany).toBeTypeOf("function");
      other = createCommandHandlers({ store: subject.store, vault: subject.vault });
    });
    afterAll(() => subject.teardown());

    /** A household paid once by a process that keeps it cached, and the change racing its next payment. */
    async function raced(prefix: string, change: (by: CommandHandlers, householdId: string, programId: string) => Promise<unknown>) {
      const [h] = (await registerHouseholds(other, prefix, 1, 7_000)) as [string];
      await defineFundedProgram(other, `${prefix}-dibao`, dibaoRule, 12 * 95_000);
      const store = new InterleavingStore(subject.store);
      const paying = createCommandHandlers({ store, vault: subject.vault });
      await paying.recordDisbursement(pay(`${prefix}-d1`, h, `${prefix}-dibao`, "2024-01"), officer());
      store.before("FundsReserved", () => householdChanges.preExit(other, h), () => change(other, h, `${prefix}-dibao`));
      const answer = await paying.recordDisbursement(pay(`${prefix}-d2`, h, `${prefix}-dibao`, "2024-02"), officer());
      const events = await allEvents(subject.store);
      const changed = events.filter((e) => e.streamId === `household-${h}`).at(-1)!;
      return { answer, events, changed, programId: `${prefix}-dibao`, id: `${prefix}-d2` };
    }

    it("another process exits the household after the saga read it: refused, nothing reserved, the slot released", async () => {
      const { answer, events, changed, programId, id } = await raced("sx", householdChanges.exitEarlier);
      expect(changed.type).toBe("HouseholdStatusChanged");
      expect(answer).toMatchObject({ outcome: "refused", code: "household_not_eligible" });
      expect(eventsOf(events, "FundsReserved", id)).toHaveLength(0);
      expect(eventsOf(events, "DisbursementRecorded", id)).toHaveLength(0);
      expect(eventsOf(events, "SlotClaimed", id)).toHaveLength(1);
      expect(eventsOf(events, "SlotReleased", id)).toHaveLength(1);
      expect(await budgetFromEvents(subject.store, programId)).toMatchObject({ heldFen: 95_000 });
    });

    it("a change that keeps it payable: assessed again and recorded once, after the change, with its reservation in one append", async () => {
      const { answer, events, changed, programId, id } = await raced("sr", householdChanges.renameMember);
      expect(changed.type).toBe("MemberCorrected");
      expect(answer).toMatchObject({ outcome: "recorded", status: "recorded", amountFen: 95_000 });
      const [initiated] = eventsOf(events, "DisbursementInitiated", id);
      const [reserved] = eventsOf(events, "FundsReserved", id);
      const [recorded] = eventsOf(events, "DisbursementRecorded", id);
      expect(reserved!.transactionId).toBe(recorded!.transactionId);
      expect(initiated!.transactionId).not.toBe(recorded!.transactionId); // it took the saga
      expect(recorded!.position).toBeGreaterThan(changed.position);
      expect(await budgetFromEvents(subject.store, programId)).toMatchObject({ heldFen: 2 * 95_000 });
    });

    it("the program's rule is revised after the saga read it: assessed again on the new rule, so the old amount is refused, never paid", async () => {
      // 低保 standard raised from 3,800 to 4,200 yuan a person a year: 3 members → 105,000 fen a
      // month, so the officer's 95,000 (the old rule's amount) no longer matches.
      const raise = (by: CommandHandlers, _householdId: string, programId: string) =>
        by.reviseProgramRule({ programId, rule: { ...(dibaoRule as DibaoRule), version: 2, annualStandardPerPersonFen: 420_000 } }, admin);
      const { answer, events, programId, id } = await raced("sv", raise);
      expect(eventsOf(events, "ProgramRuleRevised").filter((e) => e.streamId === streamIds.program(programId))).toHaveLength(1);
      expect(answer).toMatchObject({ outcome: "refused", code: "amount_mismatch" });
      expect((answer as { message: string }).message).toContain("105000");
      expect(eventsOf(events, "FundsReserved", id)).toHaveLength(0);
      expect(eventsOf(events, "DisbursementRecorded", id)).toHaveLength(0);
      expect(eventsOf(events, "SlotReleased", id)).toHaveLength(1);
      expect(await budgetFromEvents(subject.store, programId)).toMatchObject({ heldFen: 95_000 });
    });
  });
}
