import { domainEventSchemas } from "@aidtrail/domain";
import { type EventStore, PostgresEventStore, type RecordedEvent } from "@aidtrail/event-store";
import { type TestDatabase, createTestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CommandHandlers, createCommandHandlers } from "../command-handlers.js";
import { createPostgresPiiVault } from "../pii/pii-vault.js";
import type { PiiVault } from "../pii/pii-vault.js";
import { defineFundedProgram, dibaoRule, grantRule, officer, registerHouseholds, testPiiKeys } from "../testing/command-fixtures.js";
import { allEvents, budgetFromEvents, eventsOf } from "../testing/event-queries.js";
import { payment as pay, recordedAnswers as recorded, refusedWith } from "../testing/payment-fixtures.js";

const PAYMENT_EVENTS = ["DisbursementInitiated", "SlotClaimed", "FundsReserved", "DisbursementRecorded"] as const;

/** The payment's four events, each exactly once, all in ONE transaction (the single-append path), in the saga's order. */
function expectRecordedInOneAppend(events: readonly RecordedEvent[], id: string): void {
  const mine = PAYMENT_EVENTS.map((type) => {
    const found = eventsOf(events, type, id);
    expect(found, `${type} of ${id}`).toHaveLength(1);
    return found[0]!;
  });
  expect(new Set(mine.map((e) => e.transactionId)).size, `${id} in one transaction`).toBe(1);
  expect(mine.map((e) => e.position)).toEqual([...mine.map((e) => e.position)].sort((a, b) => (a < b ? -1 : 1)));
}

describe("a new payment in one multi-stream append, raced on PostgreSQL", () => {
  let database: TestDatabase;
  let store: EventStore;
  let vault: PiiVault;
  let handlers: CommandHandlers;
  /** Another API process: its own cache, mutexes and program-stream queue. */
  const process = () => createCommandHandlers({ store, vault });

  beforeAll(async () => {
    database = await createTestDatabase(inject("pgAdminUrl"));
    store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
    vault = createPostgresPiiVault(database.db, testPiiKeys);
    handlers = process();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("the store offers it, and a payment takes it: four events, one transaction, the saga's answer", async () => {
    expect(store.appendMany).toBeTypeOf("function");
    const [h] = await registerHouseholds(handlers, "one", 1);
    await defineFundedProgram(handlers, "one-grant", grantRule, 1_000_000);
    const answer = await handlers.recordDisbursement(pay("one-d1", h!, "one-grant", 100_000), officer());
    const events = await allEvents(store);
    expectRecordedInOneAppend(events, "one-d1");
    expect(answer).toEqual({
      outcome: "recorded",
      disbursementId: "one-d1",
      status: "recorded",
      amountFen: 100_000,
      position: eventsOf(events, "DisbursementRecorded", "one-d1")[0]!.position.toString(),
    });
    // A retry, in this process and in another, gets the first answer and writes nothing.
    expect(await handlers.recordDisbursement(pay("one-d1", h!, "one-grant", 100_000), officer())).toEqual(answer);
    expect(await process().recordDisbursement(pay("one-d1", h!, "one-grant", 100_000), officer())).toEqual(answer);
    expect((await allEvents(store)).length).toBe(events.length);
  });

  it("120 payments from 6 processes at once on a budget that fits 37: exactly 37 recorded, each in one append, 83 refused, 0 left", async () => {
    const households = await registerHouseholds(handlers, "ex", 120, 1_000);
    await defineFundedProgram(handlers, "ex-grant", grantRule, 37 * 10_000);
    const processes = Array.from({ length: 6 }, process);
    const answers = await Promise.all(
      households.map((h, i) => processes[i % 6]!.recordDisbursement(pay(`ex-d${i}`, h, "ex-grant", 10_000), officer(`officer-${i % 6}`))),
    );
    expect(recorded(answers)).toHaveLength(37);
    expect(refusedWith(answers, "budget_exceeded")).toHaveLength(83);
    expect(await budgetFromEvents(store, "ex-grant")).toEqual({ allocatedFen: 370_000, heldFen: 370_000, remainingFen: 0 });
    const events = await allEvents(store);
    // The budget only shrinks here, so whatever was recorded was recorded on the single-append path.
    for (const a of recorded(answers)) expectRecordedInOneAppend(events, a.disbursementId);
    // The refused took the saga: refused once, nothing held.
    for (const a of refusedWith(answers, "budget_exceeded")) {
      expect(eventsOf(events, "DisbursementRefused", a.disbursementId)).toHaveLength(1);
      expect(eventsOf(events, "SlotClaimed", a.disbursementId).length).toBe(eventsOf(events, "SlotReleased", a.disbursementId).length);
      expect(eventsOf(events, "FundsReserved", a.disbursementId)).toHaveLength(0);
    }
  });

  it("one disbursement id sent 12 times at once by 3 processes: one payment, 12 identical answers", async () => {
    const [h] = await registerHouseholds(handlers, "dup", 1, 2_000);
    await defineFundedProgram(handlers, "dup-grant", grantRule, 1_000_000);
    const processes = [handlers, process(), process()];
    const body = pay("dup-d1", h!, "dup-grant", 200_000);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => processes[i % 3]!.recordDisbursement({ ...body }, officer())));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ outcome: "recorded", status: "recorded", amountFen: 200_000 });
    const events = await allEvents(store);
    for (const type of PAYMENT_EVENTS) expect(eventsOf(events, type, "dup-d1"), type).toHaveLength(1);
    expect(await budgetFromEvents(store, "dup-grant")).toMatchObject({ heldFen: 200_000 });
  });

  it("one disbursement id with two different bodies at once: one is paid, the other is an idempotency conflict that writes nothing", async () => {
    const [h] = await registerHouseholds(handlers, "twin", 1, 3_000);
    await defineFundedProgram(handlers, "twin-grant", grantRule, 1_000_000);
    const other = process();
    const results = await Promise.allSettled([
      handlers.recordDisbursement(pay("twin-d1", h!, "twin-grant", 100_000), officer()),
      other.recordDisbursement(pay("twin-d1", h!, "twin-grant", 150_000), officer()),
      handlers.recordDisbursement(pay("twin-d1", h!, "twin-grant", 170_000), officer()),
    ]);
    const paid = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code?: string }] : []));
    expect(paid).toHaveLength(1);
    expect(refused.map((e) => e.code)).toEqual(["idempotency_conflict", "idempotency_conflict"]);
    const events = await allEvents(store);
    for (const type of PAYMENT_EVENTS) expect(eventsOf(events, type, "twin-d1"), type).toHaveLength(1);
    const amount = (eventsOf(events, "DisbursementRecorded", "twin-d1")[0]!.data as { amountFen: number }).amountFen;
    expect(paid[0]).toMatchObject({ outcome: "recorded", amountFen: amount });
    expect(await budgetFromEvents(store, "twin-grant")).toMatchObject({ heldFen: amount });
  });

  it("10 ids for one slot and 20 other payments at once: one slot payment, 9 slot_taken; the conflicts drop only their own payments", async () => {
    const [contested, ...others] = await registerHouseholds(handlers, "slot", 21, 4_000);
    await defineFundedProgram(handlers, "slot-dibao", dibaoRule, 100 * 95_000);
    const second = process();
    const contest = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? handlers : second).recordDisbursement(pay(`slot-c${i}`, contested!, "slot-dibao", 95_000, "2024-05"), officer()),
    );
    // Most of these share program-stream groups with the contested ones in `handlers`.
    const bystanders = others.map((h, i) => handlers.recordDisbursement(pay(`slot-b${i}`, h, "slot-dibao", 95_000, "2024-05"), officer()));
    const contestAnswers = await Promise.all(contest);
    const bystanderAnswers = await Promise.all(bystanders);
    expect(recorded(contestAnswers)).toHaveLength(1);
    expect(refusedWith(contestAnswers, "slot_taken")).toHaveLength(9);
    expect(recorded(bystanderAnswers)).toHaveLength(20);
    const events = await allEvents(store);
    // A slot conflict in a group must not push its neighbours off the single append.
    for (const a of bystanderAnswers) expectRecordedInOneAppend(events, a.disbursementId);
    const winner = recorded(contestAnswers)[0]!.disbursementId;
    expect(eventsOf(events, "SlotClaimed").filter((e) => (e.data as { slotKey: string }).slotKey === `slot-dibao:${contested}:2024-05`).map((e) => (e.data as { disbursementId: string }).disbursementId)).toEqual([winner]);
    expect(await budgetFromEvents(store, "slot-dibao")).toMatchObject({ heldFen: 21 * 95_000 });
  });

  describe("the household is decided on as this process last saw it, and the append checks its revision", () => {
    const exit = async (by: CommandHandlers, householdId: string) => {
      await by.changeHouseholdStatus({ householdId, to: "pre_exit", reason: "income", effectiveOn: "2023-10-01" }, officer());
      await by.changeHouseholdStatus({ householdId, to: "exited", reason: "verified", effectiveOn: "2023-12-31" }, officer());
    };

    it("a household another process exited after this one cached it is refused, not paid on the stale state", async () => {
      const [h] = await registerHouseholds(handlers, "stale", 1, 6_000);
      await defineFundedProgram(handlers, "stale-dibao", dibaoRule, 100 * 95_000);
      expect(await handlers.recordDisbursement(pay("stale-d1", h!, "stale-dibao", 95_000, "2024-01"), officer())).toMatchObject({ outcome: "recorded" });
      await exit(process(), h!); // `handlers` still holds the household as eligible
      expect(await handlers.recordDisbursement(pay("stale-d2", h!, "stale-dibao", 95_000, "2024-02"), officer())).toMatchObject({
        outcome: "refused",
        code: "household_not_eligible",
      });
      const events = await allEvents(store);
      expect(eventsOf(events, "FundsReserved", "stale-d2")).toHaveLength(0);
      expect(eventsOf(events, "DisbursementRecorded", "stale-d2")).toHaveLength(0);
      // A household change that keeps it eligible only costs a re-read: the next payment is recorded.
      const [other] = await registerHouseholds(handlers, "moved", 1, 6_100);
      await handlers.recordDisbursement(pay("moved-d1", other!, "stale-dibao", 95_000, "2024-01"), officer());
      await process().changeHouseholdStatus({ householdId: other!, to: "pre_exit", reason: "income", effectiveOn: "2024-06-01" }, officer());
      expect(await handlers.recordDisbursement(pay("moved-d2", other!, "stale-dibao", 95_000, "2024-02"), officer())).toMatchObject({ outcome: "recorded" });
    });

    it("11 payments of one household at once while another process exits it: none recorded after the exit, the others refused with nothing reserved, later ones refused", async () => {
      const [h] = await registerHouseholds(handlers, "race-exit", 1, 6_200);
      await defineFundedProgram(handlers, "race-dibao", dibaoRule, 100 * 95_000);
      await handlers.recordDisbursement(pay("race-d00", h!, "race-dibao", 95_000, "2024-01"), officer()); // cached here
      const month = (i: number) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
      const racing = Array.from({ length: 11 }, (_, i) => i + 1);
      const [answers] = await Promise.all([
        Promise.all(racing.map((i) => handlers.recordDisbursement(pay(`race-d${i}`, h!, "race-dibao", 95_000, month(i)), officer()))),
        exit(process(), h!),
      ]);
      expect(recorded(answers).length + refusedWith(answers, "household_not_eligible").length).toBe(11);
      // Sent after the exit committed, from the process that still remembers the household eligible: refused.
      const after = await Promise.all([12, 13, 14, 15].map((i) => handlers.recordDisbursement(pay(`race-d${i}`, h!, "race-dibao", 95_000, month(i)), officer())));
      expect(refusedWith(after, "household_not_eligible")).toHaveLength(4);
      const events = await allEvents(store);
      const exited = events.find((e) => e.type === "HouseholdStatusChanged" && e.streamId.endsWith(h!) && (e.data as { to: string }).to === "exited")!;
      // Whether stored in one append or by the saga (after its household check failed on the
      // pre-exit): the record carries a revision check of the household, so it committed before the exit.
      for (const a of recorded(answers)) expect(eventsOf(events, "DisbursementRecorded", a.disbursementId)[0]!.position).toBeLessThan(exited.position);
      const paid = new Set(recorded(answers).map((a) => a.disbursementId));
      for (const i of [...racing, 12, 13, 14, 15]) if (!paid.has(`race-d${i}`)) expect(eventsOf(events, "FundsReserved", `race-d${i}`)).toHaveLength(0);
    });
  });

  it("a mix at once — new payments, retries, another body, an exited household, a slot freed by a reversal — near an exhausted budget", async () => {
    const households = await registerHouseholds(handlers, "mix", 30, 5_000);
    await defineFundedProgram(handlers, "mix-grant", grantRule, 20 * 10_000);
    // Before the race: 5 paid (to be retried), one paid and reversed (its household may be paid again), one exited household.
    const earlier = await Promise.all(households.slice(0, 5).map((h, i) => handlers.recordDisbursement(pay(`mix-old${i}`, h, "mix-grant", 10_000), officer())));
    await handlers.recordDisbursement(pay("mix-rev", households[5]!, "mix-grant", 10_000), officer());
    await handlers.reverseDisbursement({ disbursementId: "mix-rev", reason: "wrong card" }, officer());
    const exited = households[6]!;
    await handlers.changeHouseholdStatus({ householdId: exited, to: "pre_exit", reason: "income", effectiveOn: "2023-10-01" }, officer());
    await handlers.changeHouseholdStatus({ householdId: exited, to: "exited", reason: "verified", effectiveOn: "2023-12-31" }, officer());
    // 15 fen-units left for 1 re-payment (saga: its slot stream exists) + 23 new payments (single append).
    const processes = [handlers, process(), process(), process()];
    const by = (i: number) => processes[i % 4]!;
    const fresh = households.slice(7).map((h, i) => by(i).recordDisbursement(pay(`mix-new${i}`, h, "mix-grant", 10_000), officer()));
    const repay = by(1).recordDisbursement(pay("mix-repay", households[5]!, "mix-grant", 10_000), officer());
    const retries = households.slice(0, 5).map((h, i) => by(i + 2).recordDisbursement(pay(`mix-old${i}`, h, "mix-grant", 10_000), officer()));
    const otherBody = by(3)
      .recordDisbursement(pay("mix-old0", households[0]!, "mix-grant", 10_001), officer())
      .then(() => "paid", (error: { code?: string }) => error.code);
    const ineligible = by(0).recordDisbursement(pay("mix-exit", exited, "mix-grant", 10_000), officer());
    const newAnswers = await Promise.all([...fresh, repay]);
    expect(await Promise.all(retries)).toEqual(earlier);
    expect(await otherBody).toBe("idempotency_conflict");
    expect(await ineligible).toMatchObject({ outcome: "refused", code: "household_not_eligible" });
    expect(recorded(newAnswers)).toHaveLength(15);
    expect(refusedWith(newAnswers, "budget_exceeded")).toHaveLength(9);
    expect(await budgetFromEvents(store, "mix-grant")).toEqual({ allocatedFen: 200_000, heldFen: 200_000, remainingFen: 0 });
    const events = await allEvents(store);
    for (let i = 0; i < 5; i++) for (const type of PAYMENT_EVENTS) expect(eventsOf(events, type, `mix-old${i}`), type).toHaveLength(1);
    expect(eventsOf(events, "DisbursementInitiated", "mix-exit")).toHaveLength(1);
    expect(eventsOf(events, "FundsReserved", "mix-exit")).toHaveLength(0);
    // Never two live payments in one slot: claims minus releases per slot is 0 or 1.
    const held = new Map<string, number>();
    for (const e of events) {
      const key = (e.data as { slotKey?: string }).slotKey;
      if (key === undefined || !key.startsWith("mix-grant:")) continue;
      if (e.type === "SlotClaimed") held.set(key, (held.get(key) ?? 0) + 1);
      if (e.type === "SlotReleased") held.set(key, (held.get(key) ?? 0) - 1);
    }
    expect([...held.values()].every((n) => n === 0 || n === 1)).toBe(true);
    expect([...held.values()].filter((n) => n === 1)).toHaveLength(20);
  });
});
