import type { EventStore, GlobalCheckpoint, RecordedEvent } from "./event-store.js";

export interface PollOptions {
  after: GlobalCheckpoint;
  batchSize?: number;
  /** Longest wait for a wake-up before looking again anyway. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Batches of the global log after `after`, forever (until aborted). Between
 * batches it waits on the store's wake-ups (LISTEN/NOTIFY), never spins.
 * The caller persists its checkpoint; the next batch starts after the last event yielded.
 */
export async function* pollAll(store: EventStore, options: PollOptions): AsyncGenerator<RecordedEvent[]> {
  let after = options.after;
  const batchSize = options.batchSize ?? 1000;
  const idle = options.idleTimeoutMs ?? 1000;
  while (!options.signal?.aborted) {
    const batch = await store.readAll({ after, limit: batchSize });
    if (batch.length > 0) {
      const last = batch[batch.length - 1]!;
      after = { transactionId: last.transactionId, position: last.position };
      yield batch;
      continue;
    }
    await store.waitForEvents(after, idle, options.signal);
  }
}

/** Orders two checkpoints by the global order. */
export function compareCheckpoints(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return 0;
}
