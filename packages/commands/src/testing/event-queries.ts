import { START, type EventStore, type RecordedEvent } from "@aidtrail/event-store";

let barrier = 0;
const BARRIER = "slot-test-barrier-";

/**
 * Every event (tests only), once everything committed before the call is visible: readAll only
 * shows transactions below the cluster's snapshot xmin, so on a busy server (other test files in
 * other databases) it lags. A marker appended now is visible only when all earlier commits are;
 * marker events are left out of the result.
 * One page on purpose: PostgresEventStore.readAll orders by the *text* of transaction_id (its
 * select list casts it), so paging across xid 999 → 1000 repeats or skips events; reported.
 */
export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const { positions } = await store.append(`${BARRIER}${process.pid}-${++barrier}`, [
    { type: "SlotClaimed", data: { slotKey: "test-barrier", disbursementId: "test-barrier" } },
  ]);
  const marker = positions[0];
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const events = await store.readAll({ after: START, limit: 100_000_000 });
    if (events.some((e) => e.position === marker)) return events.filter((e) => !e.streamId.startsWith(BARRIER));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("readAll did not catch up with the marker in 20 s");
}

/** Events of one type whose data names `disbursementId` (directly or in the request). */
export function eventsOf(events: readonly RecordedEvent[], type: string, disbursementId?: string): RecordedEvent[] {
  return events.filter((e) => {
    if (e.type !== type) return false;
    if (disbursementId === undefined) return true;
    const d = e.data as { disbursementId?: string; request?: { disbursementId?: string } };
    return (d.disbursementId ?? d.request?.disbursementId) === disbursementId;
  });
}

/** A program's budget computed from its events alone: allocated − reserved + released. */
export async function budgetFromEvents(store: EventStore, programId: string): Promise<{ allocatedFen: number; heldFen: number; remainingFen: number }> {
  const events = await store.readStream(`program-${programId}`);
  const reserved = new Map<string, number>();
  let allocatedFen = 0;
  let heldFen = 0;
  for (const e of events) {
    const d = e.data as { amountFen?: number; disbursementId?: string };
    if (e.type === "AllocationAdded") allocatedFen += d.amountFen ?? 0;
    if (e.type === "FundsReserved") {
      reserved.set(d.disbursementId ?? "", d.amountFen ?? 0);
      heldFen += d.amountFen ?? 0;
    }
    if (e.type === "ReservationReleased") heldFen -= reserved.get(d.disbursementId ?? "") ?? 0;
  }
  return { allocatedFen, heldFen, remainingFen: allocatedFen - heldFen };
}
