import type { ExpectedRevision } from "./event-store.js";

/** Base of every error the event store throws on purpose; `code` is stable. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not at the revision the writer expected: nothing was written. */
export class WrongExpectedRevision extends EventStoreError {
  override readonly name = "WrongExpectedRevision";
  readonly code = "stream_conflict";
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the last event, or -1 when the stream has none. */
    readonly actual: number,
    /** In an appendMany, the index of the first entry that conflicted. */
    readonly entryIndex?: number,
  ) {
    super(
      `${entryIndex === undefined ? "" : `entry ${entryIndex}: `}stream ${streamId}: expected revision ${String(expected)}, ` +
        `actual ${actual === -1 ? "no stream" : actual}`,
    );
  }
}

export class UnknownEventType extends EventStoreError {
  override readonly name = "UnknownEventType";
  readonly code = "unknown_event_type";
  constructor(readonly type: string) {
    super(`unknown event type ${JSON.stringify(type)}`);
  }
}

export class EventSchemaViolation extends EventStoreError {
  override readonly name = "EventSchemaViolation";
  readonly code = "event_schema_violation";
  constructor(
    readonly type: string,
    readonly issues: string[],
  ) {
    super(`event ${type} does not match its schema: ${issues.join("; ")}`);
  }
}

export class EventTooLarge extends EventStoreError {
  override readonly name = "EventTooLarge";
  readonly code = "event_too_large";
  constructor(
    readonly type: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${type} is ${bytes} bytes, over the limit of ${limit}`);
  }
}

export class InvalidAppend extends EventStoreError {
  override readonly name = "InvalidAppend";
  readonly code = "invalid_append";
}
