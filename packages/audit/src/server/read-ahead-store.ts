import { type GlobalCheckpoint, type ReadAllOptions, type RecordedEvent, START } from "@aidtrail/event-store";
import { ForwardingEventStore } from "./forwarding-event-store.js";

interface Pending {
  readonly after: GlobalCheckpoint;
  readonly limit: number | undefined;
  readonly events: Promise<RecordedEvent[]>;
}

/**
 * The sealer's view of the event store: when `readAll` returns a full batch, the read of
 * the batch after it starts at once, so the database produces batch n+1 while the sealer
 * hashes and writes batch n. A batch read ahead is served only to a call with the very
 * same `after` and `limit` (anything else drops it): readAll never returns an event a later
 * call could place before it, so it is the prefix a fresh read would start with.
 */
export class ReadAheadStore extends ForwardingEventStore {
  #pending: Pending | undefined;

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const pending = this.#pending;
    this.#pending = undefined;
    const events = pending !== undefined && matches(pending, options) ? await pending.events : await this.store.readAll(options);
    const last = events[events.length - 1];
    if (last !== undefined && options.limit !== undefined && events.length === options.limit) {
      const after = { transactionId: last.transactionId, position: last.position };
      const ahead = this.store.readAll({ after, limit: options.limit });
      ahead.catch(() => {}); // a failed read-ahead surfaces when (if) it is served
      this.#pending = { after, limit: options.limit, events: ahead };
    }
    return events;
  }

  /** Waits for a read still running ahead (before the pool under it is closed). */
  async settle(): Promise<void> {
    await this.#pending?.events.catch(() => {});
    this.#pending = undefined;
  }
}

function matches(pending: Pending, options: ReadAllOptions): boolean {
  const after = options.after ?? START;
  return pending.limit === options.limit && pending.after.transactionId === after.transactionId && pending.after.position === after.position;
}
