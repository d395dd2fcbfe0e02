import { WrongExpectedRevision } from "./errors.js";
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalCheckpoint,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from "./event-store.js";
import {
  revisionMatches,
  type ValidatedAppend,
  type ValidationOptions,
  validateAppend,
  validateAppendMany,
} from "./event-validation.js";
import { Wakeups } from "./wakeups.js";

/** Same semantics as the PostgreSQL store, in one process: for unit tests and tools. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private nextTransactionId = 1n;
  private readonly wakeups = new Wakeups();

  constructor(private readonly options: ValidationOptions = {}) {}

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const { expected, serialised } = validateAppend(streamId, events, options, this.options);
    const entry = { streamId, expected, events: serialised };
    const conflict = this.firstConflict([entry]);
    if (conflict) throw new WrongExpectedRevision(streamId, expected, conflict.actual);
    return this.commit([entry])[0]!;
  }

  async appendMany(entries: readonly StreamAppend[]): Promise<AppendResult[]> {
    const validated = validateAppendMany(entries, this.options);
    const conflict = this.firstConflict(validated);
    if (conflict) {
      const entry = validated[conflict.entryIndex]!;
      throw new WrongExpectedRevision(entry.streamId, entry.expected, conflict.actual, conflict.entryIndex);
    }
    return this.commit(validated);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === "backwards") {
      const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      return stream.filter((e) => e.revision <= from).reverse().slice(0, limit).map(copy);
    }
    const from = options.fromRevision ?? 0;
    return stream.filter((e) => e.revision >= from).slice(0, limit).map(copy);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? { transactionId: 0n, position: 0n };
    const limit = options.limit ?? 1000;
    const out: RecordedEvent[] = [];
    for (const event of this.log) {
      if (isAfter(event, after)) out.push(copy(event));
      if (out.length >= limit) break;
    }
    return out;
  }

  async waitForEvents(after: GlobalCheckpoint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const seen = this.wakeups.generation;
    const last = this.log[this.log.length - 1];
    if (last && isAfter(last, after)) return;
    await this.wakeups.waitForChange(seen, timeoutMs, signal);
  }

  async close(): Promise<void> {}

  /** Checks the entries in order, each against the revision the entries before it leave. */
  private firstConflict(entries: readonly ValidatedAppend[]): { entryIndex: number; actual: number } | undefined {
    const revisions = new Map<string, number>();
    for (const [entryIndex, entry] of entries.entries()) {
      const actual = revisions.get(entry.streamId) ?? (this.streams.get(entry.streamId)?.length ?? 0) - 1;
      if (!revisionMatches(entry.expected, actual)) return { entryIndex, actual };
      revisions.set(entry.streamId, actual + entry.events.length);
    }
    return undefined;
  }

  /** Writes already-checked entries as one transaction, positions in entry order. */
  private commit(entries: readonly ValidatedAppend[]): AppendResult[] {
    const transactionId = this.nextTransactionId++;
    const recordedAt = new Date();
    const results = entries.map((entry): AppendResult => {
      const stream = this.streams.get(entry.streamId) ?? [];
      const recorded = entry.events.map((event, i): RecordedEvent => {
        // A JSON round trip gives readers the same detached copies PostgreSQL would.
        return {
          position: BigInt(this.log.length + i + 1),
          transactionId,
          streamId: entry.streamId,
          revision: stream.length + i,
          type: event.type,
          data: JSON.parse(event.dataJson),
          metadata: JSON.parse(event.metadataJson) as Record<string, unknown>,
          recordedAt,
        };
      });
      this.log.push(...recorded);
      this.streams.set(entry.streamId, [...stream, ...recorded]);
      const last = recorded[recorded.length - 1];
      return {
        nextRevision: stream.length + recorded.length - 1,
        positions: recorded.map((e) => e.position),
        checkpoint: { transactionId, position: last?.position ?? 0n },
      };
    });
    this.wakeups.wake();
    // A revision check wrote nothing of its own: its checkpoint is the call's (its last event).
    const callCheckpoint = { transactionId, position: this.log[this.log.length - 1]!.position };
    return results.map((r) => (r.positions.length === 0 ? { ...r, checkpoint: callCheckpoint } : r));
  }
}

function isAfter(event: RecordedEvent, after: GlobalCheckpoint): boolean {
  return (
    event.transactionId > after.transactionId ||
    (event.transactionId === after.transactionId && event.position > after.position)
  );
}

function copy(event: RecordedEvent): RecordedEvent {
  return structuredClone(event);
}
