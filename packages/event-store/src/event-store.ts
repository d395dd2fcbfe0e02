/** The shape every event has on its way into the store. */
export interface NewEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
  metadata?: EventMetadata;
}

/** Who did it and why; business time lives here, storage time in `recordedAt`. */
export interface EventMetadata {
  actor?: string;
  role?: string;
  requestId?: string;
  occurredAt?: string;
  ruleVersion?: number;
  [key: string]: unknown;
}

/**
 * A stored event. `position` is a unique, never reused number; the global order is
 * (transactionId, position), which is what readAll and checkpoints follow.
 */
export interface RecordedEvent<T extends string = string, D = unknown> {
  position: bigint;
  transactionId: bigint;
  streamId: string;
  revision: number;
  type: T;
  data: D;
  metadata: EventMetadata;
  recordedAt: Date;
}

/** A recorded event whose data and metadata are still the JSON text the store holds (not parsed). */
export interface RecordedEventText extends Omit<RecordedEvent, "data" | "metadata"> {
  dataJson: string;
  metadataJson: string;
  /** The audit leaf stored when it was appended; null where the writer computed none. */
  leaf: Uint8Array | null;
}

/**
 * An event read for its stored audit leaf alone: its place in the global order, what names it
 * in a message, and the leaf; not its data, metadata or time.
 */
export interface RecordedLeaf extends Pick<RecordedEvent, "position" | "transactionId" | "streamId" | "revision" | "type"> {
  leaf: Uint8Array;
}

/** Revision of the last event in the stream (0-based), or one of the symbolic forms. */
export type ExpectedRevision = number | "no_stream" | "stream_exists" | "any";

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  nextRevision: number;
  /** Positions of the appended events, in append order. */
  positions: bigint[];
  /** Global-order checkpoint of the last appended event. */
  checkpoint: GlobalCheckpoint;
}

/** A point in the global order: everything at or before it has been seen. */
export interface GlobalCheckpoint {
  transactionId: bigint;
  position: bigint;
}

export const START: GlobalCheckpoint = { transactionId: 0n, position: 0n };

export interface ReadStreamOptions {
  fromRevision?: number;
  direction?: "forwards" | "backwards";
  limit?: number;
}

export interface ReadAllOptions {
  after?: GlobalCheckpoint;
  limit?: number;
}

/** One entry of an atomic multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * All or nothing: every entry's expected revision is checked and all entries' events are written in ONE
   * transaction, in entry order (so global positions follow entry order, interleaving streams as given).
   * A stream may appear in several entries; a later entry's expectedRevision is checked against the revision
   * the earlier entries left. On any conflict nothing is written and WrongExpectedRevision is thrown naming
   * the first conflicting entry's streamId (and its entryIndex). Returns one AppendResult per entry.
   * An entry without events is a revision check: nothing is written to its stream, but the call
   * fails unless the stream is at that expectedRevision ("any" is refused) when the others are written;
   * its result has the stream's revision, no positions and the call's checkpoint.
   * Optional: adapters without multi-stream transactions (EventStoreDB/KurrentDB) leave it out.
   */
  appendMany?(entries: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events after `after` in global order; never returns an event a later call could place before it. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Resolves when events may exist after `after`, or after `timeoutMs`. */
  waitForEvents(after: GlobalCheckpoint, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
