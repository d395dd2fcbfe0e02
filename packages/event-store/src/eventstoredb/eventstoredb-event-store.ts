import {
  type AllStreamRecordedEvent,
  type JSONType,
  type ReadPosition,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type RecordedEvent as EsdbRecordedEvent,
} from "@eventstore/db-client";
import { WrongExpectedRevision } from "../errors.js";
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  GlobalCheckpoint,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from "../event-store.js";
import { type ValidationOptions, validateAppend } from "../event-validation.js";
import { AllStreamWakeups } from "./all-stream-wakeups.js";
import { fromCurrentRevision, toAppendExpectedRevision } from "./expected-revision.js";
import { isAfter, toCheckpoint, toPosition } from "./global-position.js";

export interface EventStoreDbEventStoreOptions extends ValidationOptions {
  /** `esdb://host:2113?tls=false` or `esdb+discover://…` for a cluster; or a client to share. */
  connection: string | EventStoreDBClient;
}

/**
 * The event store on EventStoreDB/KurrentDB. Streams are ESDB streams of the same
 * name; the global order is `$all` without system events. It has no multi-stream
 * transactions: cross-aggregate invariants are kept by the command side's
 * reservation saga, which needs only single-stream optimistic appends (see README).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly wakeups: AllStreamWakeups;

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.ownsClient = typeof options.connection === "string";
    this.client =
      typeof options.connection === "string" ? EventStoreDBClient.connectionString(options.connection) : options.connection;
    this.wakeups = new AllStreamWakeups(this.client);
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const { expected, serialised } = validateAppend(streamId, events, options, this.options);
    const data = serialised.map((e) =>
      jsonEvent({ type: e.type, data: e.data as JSONType, metadata: e.metadata as JSONType }),
    );
    let nextRevision: number;
    try {
      const result = await this.client.appendToStream(streamId, data, { expectedRevision: toAppendExpectedRevision(expected) });
      nextRevision = Number(result.nextExpectedRevision);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevision(streamId, expected, fromCurrentRevision(error.actualVersion));
      }
      throw error;
    }
    // The append answers with one log position for the whole write; the port promises
    // each event's own position, so read the revisions we just wrote (immutable) back.
    const written = await this.readStream(streamId, { fromRevision: nextRevision - events.length + 1, limit: events.length });
    const last = written.at(-1);
    if (written.length !== events.length || !last || last.revision !== nextRevision) {
      throw new Error(`stream ${streamId}: could not read back revisions ${nextRevision - events.length + 1}..${nextRevision}`);
    }
    return {
      nextRevision,
      positions: written.map((e) => e.position),
      checkpoint: { transactionId: last.transactionId, position: last.position },
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === "backwards";
    const fromRevision =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : ESDB_START;
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision,
        ...(options.limit !== undefined ? { maxCount: options.limit } : {}),
      });
      for await (const resolved of read) {
        if (resolved.event) out.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? 1000;
    let cursor: GlobalCheckpoint = options.after ?? { transactionId: 0n, position: 0n };
    const out: RecordedEvent[] = [];
    // `$all` reads start *at* a position and the server filters nothing here, so read
    // one more than needed, drop the event at `after`, skip system events, and go on
    // reading until the page is full or the log ends.
    for (;;) {
      const fromPosition: ReadPosition =
        cursor.transactionId === 0n && cursor.position === 0n ? ESDB_START : toPosition(cursor);
      const want = limit - out.length + 1;
      let read = 0;
      for await (const resolved of this.client.readAll({ fromPosition, maxCount: want, direction: FORWARDS })) {
        read++;
        const event = resolved.event;
        if (!event || !isAfter(event.position, cursor)) continue;
        cursor = toCheckpoint(event.position);
        if (isSystemEvent(event)) continue;
        out.push(toRecorded(event));
        if (out.length === limit) return out;
      }
      if (read < want) return out;
    }
  }

  async waitForEvents(after: GlobalCheckpoint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.wakeups.ensureSubscribed();
    const seen = this.wakeups.generation;
    // An event appended between the caller's last read and the subscription's start
    // would never wake us: look once, now that the subscription is live.
    if ((await this.readAll({ after, limit: 1 })).length > 0) return;
    await this.wakeups.waitForChange(seen, timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.wakeups.close();
    if (this.ownsClient) await this.client.dispose();
  }
}

/** Streams and types starting with `$` belong to the server (stats, projections, settings), not to aidtrail. */
function isSystemEvent(event: AllStreamRecordedEvent): boolean {
  return event.streamId.startsWith("$") || event.type.startsWith("$");
}

function toRecorded(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error("the server did not return event positions: KurrentDB/EventStoreDB 22.6 or later is needed");
  }
  const checkpoint = toCheckpoint(event.position);
  return {
    position: checkpoint.position,
    transactionId: checkpoint.transactionId,
    streamId: event.streamId,
    revision: Number(event.revision),
    type: event.type,
    data: event.data,
    metadata: isMetadata(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

function isMetadata(value: unknown): value is EventMetadata {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
