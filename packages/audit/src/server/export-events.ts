import type { EventStore, GlobalCheckpoint } from "@aidtrail/event-store";
import { toCanonicalEvent } from "../canonical-json.js";
import type { CanonicalEvent } from "../verify/canonical-event.js";
import { AuditRequestError } from "./audit-errors.js";

/** A page of the global log, in the order of the Merkle tree's leaves. */
export interface EventPage {
  /** Each event in its canonical form: its RFC 8785 bytes are exactly its leaf's input. */
  readonly events: readonly CanonicalEvent[];
  /** Pass as `after` for the next page; the same cursor again when the log had nothing more. */
  readonly next: string;
}

/**
 * The cursor is `<transactionId>.<position>`: positions alone are not in global order
 * (a later transaction can commit a smaller position), the pair is.
 */
export function formatCursor(checkpoint: GlobalCheckpoint): string {
  return `${checkpoint.transactionId}.${checkpoint.position}`;
}

/** Parses a cursor; empty or "0" is the start of the log. */
export function parseCursor(cursor: string | undefined): GlobalCheckpoint {
  if (cursor === undefined || cursor === "" || cursor === "0") return { transactionId: 0n, position: 0n };
  const match = /^(\d{1,20})\.(\d{1,20})$/.exec(cursor);
  if (!match) throw new AuditRequestError("bad_range", `after must be a cursor <transactionId>.<position> from a previous page`);
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) };
}

/** Exports the global log after a cursor, for replay by others (auditors). */
export async function exportEvents(store: EventStore, request: { after?: string | undefined; limit?: number | undefined }): Promise<EventPage> {
  const limit = Math.min(Math.max(request.limit ?? 1000, 1), 10_000);
  const after = parseCursor(request.after);
  const events = await store.readAll({ after, limit });
  const last = events[events.length - 1];
  return {
    events: events.map(toCanonicalEvent),
    next: last === undefined ? formatCursor(after) : formatCursor(last),
  };
}
