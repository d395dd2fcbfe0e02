import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CommandHandlers, createCommandHandlers } from "../command-handlers.js";
import { defineFundedProgram, dibaoRule, officer, registerHouseholds } from "../testing/command-fixtures.js";
import { allEvents, budgetFromEvents, eventsOf } from "../testing/event-queries.js";
import { InterleavingStore } from "../testing/interleaving-store.js";
import type { InvariantSubject } from "../testing/invariant-suite.js";
import { onPostgres } from "../testing/on-postgres.js";
import { payment, recordedAnswers as recorded, refusedWith } from "../testing/payment-fixtures.js";
import { householdChanges, runSagaRecheckSuite } from "../testing/saga-recheck-suite.js";
import { withoutAppendMany } from "../testing/without-append-many.js";

runSagaRecheckSuite("PostgreSQL", () => onPostgres(inject("pgAdminUrl")));

const month = (i: number) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
const pay = (id: string, householdId: string, programId: string, i: number) => payment(id, householdId, programId, 95_000, month(i));

describe("payments on the saga path racing an exit from another process, on PostgreSQL", () => {
  let subject: InvariantSubject;
  beforeAll(async () => {
    subject = await onPostgres(inject("pgAdminUrl"));
  });
  afterAll(() => subject.teardown());

  it("24 saga payments of one household from 4 processes while a fifth exits it: none recorded after the exit, the budget holds exactly the recorded", async () => {
    const exiting = createCommandHandlers({ store: subject.store, vault: subject.vault });
    const [h] = (await registerHouseholds(exiting, "rx", 1, 8_000)) as [string];
    await defineFundedProgram(exiting, "rx-dibao", dibaoRule, 40 * 95_000);
    const payers: CommandHandlers[] = Array.from({ length: 4 }, () => createCommandHandlers({ store: subject.store, vault: subject.vault }));
    // Each paying process keeps the household cached; a change they have not seen (still payable)
    // makes every payment's single-append check fail, so all of them take the saga.
    await Promise.all(payers.map((p, k) => p.recordDisbursement(pay(`rx-warm${k}`, h, "rx-dibao", k), officer())));
    await householdChanges.preExit(exiting, h);
    const racing = Array.from({ length: 24 }, (_, i) => ({ id: `rx-d${i}`, by: payers[i % 4]!, i: 4 + i }));
    let settled = false;
    const paying = Promise.all(racing.map((r) => r.by.recordDisbursement(pay(r.id, h, "rx-dibao", r.i), officer()))).finally(() => {
      settled = true;
    });
    // The exit goes in once a few of them have reserved, while the others are in flight.
    const reserved = async () => (await subject.store.readStream("program-rx-dibao")).filter((e) => e.type === "FundsReserved").length;
    const exitMidway = async () => {
      while (!settled && (await reserved()) < 4 + 6) await new Promise((resolve) => setTimeout(resolve, 1));
      await householdChanges.exitEarlier(exiting, h);
    };
    const [answers] = await Promise.all([paying, exitMidway()]);
    expect(recorded(answers).length + refusedWith(answers, "household_not_eligible").length).toBe(24);
    const events = await allEvents(subject.store);
    const exit = events.find((e) => e.type === "HouseholdStatusChanged" && e.streamId === `household-${h}` && (e.data as { to: string }).to === "exited")!;
    for (const { id } of racing) {
      const [initiated] = eventsOf(events, "DisbursementInitiated", id);
      const [done] = [...eventsOf(events, "DisbursementRecorded", id), ...eventsOf(events, "DisbursementRefused", id)];
      expect(initiated!.transactionId, `${id} took the saga`).not.toBe(done!.transactionId);
    }
    // Every assessment that saw the exit refuses (it is dated before every payment), so a Recorded
    // after the exit in log order was assessed on a household that changed under it.
    for (const a of recorded(answers)) {
      expect(eventsOf(events, "DisbursementRecorded", a.disbursementId)[0]!.position, a.disbursementId).toBeLessThan(exit.position);
    }
    for (const a of refusedWith(answers, "household_not_eligible")) expect(eventsOf(events, "FundsReserved", a.disbursementId)).toHaveLength(0);
    const paidFen = eventsOf(events, "DisbursementRecorded").filter((e) => (e.data as { programId: string }).programId === "rx-dibao").length * 95_000;
    expect(await budgetFromEvents(subject.store, "rx-dibao")).toEqual({ allocatedFen: 40 * 95_000, heldFen: paidFen, remainingFen: 40 * 95_000 - paidFen });
  });
});

describe("a store without appendMany (as EventStoreDB/KurrentDB): what the saga can and cannot promise", () => {
  let subject: InvariantSubject;
  beforeAll(async () => {
    subject = await onPostgres(inject("pgAdminUrl"), withoutAppendMany);
  });
  afterAll(() => subject.teardown());

  it("an exit committed before the saga reads the household is refused; one landing between the read and the record is not caught (it surfaces as an anomaly)", async () => {
    const other = createCommandHandlers({ store: subject.store, vault: subject.vault });
    const [before, between] = (await registerHouseholds(other, "nx", 2, 9_000)) as [string, string];
    await defineFundedProgram(other, "nx-dibao", dibaoRule, 12 * 95_000);
    const store = new InterleavingStore(subject.store);
    const paying = createCommandHandlers({ store, vault: subject.vault });
    await paying.recordDisbursement(pay("nx-d0", before, "nx-dibao", 0), officer()); // cached here
    for (const h of [before, between]) await householdChanges.preExit(other, h);
    await householdChanges.exitEarlier(other, before);
    expect(await paying.recordDisbursement(pay("nx-d1", before, "nx-dibao", 1), officer())).toMatchObject({ outcome: "refused", code: "household_not_eligible" });
    // No multi-stream append, so no revision check can ride with the reservation or the record.
    store.before("FundsReserved", () => householdChanges.exitEarlier(other, between));
    expect(await paying.recordDisbursement(pay("nx-d2", between, "nx-dibao", 2), officer())).toMatchObject({ outcome: "recorded" });
  });
});
