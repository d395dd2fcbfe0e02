import type { Position } from "@eventstore/db-client";
import type { GlobalCheckpoint } from "../event-store.js";

/**
 * The port's global order is (transactionId, position). In `$all` an event sits at
 * (commit, prepare): every event of one append shares the commit position of that
 * write and has its own prepare position, and `$all` is ordered by commit, then
 * prepare. So `transactionId` = commit position and `position` = prepare position:
 * the same order, and `position` stays unique and never reused.
 */
export function toCheckpoint(position: Position): GlobalCheckpoint {
  return { transactionId: position.commit, position: position.prepare };
}

/** The `$all` position a checkpoint names; `START` (0, 0) is the beginning of the log. */
export function toPosition(checkpoint: GlobalCheckpoint): Position {
  return { commit: checkpoint.transactionId, prepare: checkpoint.position };
}

/** Whether `position` comes strictly after `checkpoint` in `$all` order. */
export function isAfter(position: Position, checkpoint: GlobalCheckpoint): boolean {
  if (position.commit !== checkpoint.transactionId) return position.commit > checkpoint.transactionId;
  return position.prepare > checkpoint.position;
}
