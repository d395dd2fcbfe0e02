import { parseStreamId } from "@aidtrail/domain";
import { type EventStore, type GlobalCheckpoint, START } from "@aidtrail/event-store";
import { StreamWriter } from "../aggregates/stream-writer.js";
import type { CommandContext } from "../command-context.js";
import { DisbursementProcess } from "./disbursement-process.js";

export interface RecoveryReport {
  /** Initiated before `olderThan` and never answered: finished now (recorded or refused). */
  resumed: string[];
  /** Refused, rejected or reversed but still holding a slot or a reservation: released now. */
  settled: string[];
}

interface Seen {
  initiatedAt: Date | null;
  decided: boolean;
  releases: boolean;
  reservations: number;
  slots: number;
}

/**
 * The sweep for crashes mid-saga. One pass over the global log finds payments that were
 * initiated but never answered, and answered ones that still hold what they should have
 * released; each is run through the same idempotent steps as a client's retry.
 */
export async function recoverStuckDisbursements(
  store: EventStore,
  olderThan: Date,
  options: { now?: Date; process?: DisbursementProcess; pageSize?: number } = {},
): Promise<RecoveryReport> {
  const seen = new Map<string, Seen>();
  const get = (id: string): Seen => {
    const known = seen.get(id);
    if (known) return known;
    const fresh: Seen = { initiatedAt: null, decided: false, releases: false, reservations: 0, slots: 0 };
    seen.set(id, fresh);
    return fresh;
  };
  const positions = new Set<bigint>();
  let after: GlobalCheckpoint = START;
  for (;;) {
    const page = await store.readAll({ after, limit: options.pageSize ?? 100_000 });
    if (page.length === 0) break;
    for (const e of page) {
      // Counting an event twice would unbalance the counters; seen positions are skipped.
      if (positions.has(e.position)) continue;
      positions.add(e.position);
      const category = parseStreamId(e.streamId)?.category;
      const data = e.data as { disbursementId?: string; request?: { disbursementId: string } };
      const id = data.disbursementId ?? data.request?.disbursementId;
      if (id === undefined || (category !== "disbursement" && category !== "program" && category !== "slot")) continue;
      const s = get(id);
      switch (e.type) {
        case "DisbursementInitiated":
          s.initiatedAt = e.recordedAt;
          break;
        case "DisbursementRecorded":
          s.decided = true;
          break;
        case "DisbursementRefused":
          s.decided = true;
          s.releases = true;
          break;
        case "DisbursementRejected":
        case "DisbursementReversed":
          s.releases = true;
          break;
        case "FundsReserved":
          s.reservations++;
          break;
        case "ReservationReleased":
          s.reservations--;
          break;
        case "SlotClaimed":
          s.slots++;
          break;
        case "SlotReleased":
          s.slots--;
          break;
      }
    }
    const last = page.at(-1)!;
    after = { transactionId: last.transactionId, position: last.position };
  }

  const process = options.process ?? new DisbursementProcess(new StreamWriter(store));
  const now = (options.now ?? new Date()).toISOString();
  const ctx: CommandContext = { actor: { id: "system:recovery", roles: [] }, requestId: `recovery:${now}`, now };
  const report: RecoveryReport = { resumed: [], settled: [] };
  for (const [id, s] of seen) {
    if (s.initiatedAt === null) continue;
    if (!s.decided && s.initiatedAt < olderThan) {
      await process.run(id, ctx, "system");
      report.resumed.push(id);
    } else if (s.releases && (s.reservations > 0 || s.slots > 0)) {
      await process.run(id, ctx, "system");
      report.settled.push(id);
    }
  }
  return report;
}
