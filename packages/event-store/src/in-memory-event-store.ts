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
} from "./event-store.js";
import { type ValidationOptions, revisionMatches, validateAppend } from "./event-validation.js";
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
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length - 1;
    if (!revisionMatches(expected, actual)) throw new WrongExpectedRevision(streamId, expected, actual);
    const transactionId = this.nextTransactionId++;
    const recordedAt = new Date();
    const recorded = serialised.map((event, i): RecordedEvent => {
      // A JSON round trip gives readers the same detached copies PostgreSQL would.
      const { d, m } = JSON.parse(event.json) as { d: unknown; m: Record<string, unknown> };
      return {
        position: BigInt(this.log.length + i + 1),
        transactionId,
        streamId,
        revision: actual + 1 + i,
        type: event.type,
        data: d,
        metadata: m,
        recordedAt,
      };
    });
    this.log.push(...recorded);
    this.streams.set(streamId, [...stream, ...recorded]);
    this.wakeups.wake();
    const last = recorded[recorded.length - 1]!;
    return {
      nextRevision: last.revision,
      positions: recorded.map((e) => e.position),
      checkpoint: { transactionId, position: last.position },
    };
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
