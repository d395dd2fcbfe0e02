import { EventSchemaViolation, EventTooLarge, InvalidAppend, UnknownEventType } from "./errors.js";
import type { AppendOptions, ExpectedRevision, NewEvent, StreamAppend } from "./event-store.js";

/** Anything with zod's `safeParse` shape; keeps this package free of a schema library. */
export interface EventDataSchema {
  safeParse(data: unknown):
    | { success: true; data?: unknown }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** Which event types exist and what their data must look like. */
export type EventSchemaRegistry = Readonly<Record<string, EventDataSchema>>;

export interface ValidationOptions {
  /** Without a registry, any type with JSON data is accepted (tests and tools). */
  registry?: EventSchemaRegistry | undefined;
  maxEventBytes?: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

const STREAM_ID = /^[A-Za-z0-9_.:@\-\u4e00-\u9fff]{1,200}$/u;

/** Serialised events ready to write, or a typed error; runs before anything touches storage. */
export function validateAppend(
  streamId: string,
  events: readonly NewEvent[],
  appendOptions: AppendOptions,
  options: ValidationOptions,
): { expected: ExpectedRevision; serialised: SerialisedEvent[] } {
  const expected = checkAppend(streamId, events, appendOptions);
  const limit = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const serialised = events.map((event) => serialiseEvent(event, options.registry, limit));
  return { expected, serialised };
}

/** The checks of an append that need no event serialised: stream id, event count, expected revision. */
export function checkAppend(streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions): ExpectedRevision {
  if (!STREAM_ID.test(streamId)) throw new InvalidAppend(`invalid stream id ${JSON.stringify(streamId)}`);
  if (events.length === 0) throw new InvalidAppend("an append needs at least one event");
  return checkExpected(appendOptions);
}

function checkExpected(appendOptions: AppendOptions): ExpectedRevision {
  const expected = appendOptions.expectedRevision ?? "any";
  if (typeof expected === "number" && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppend(`expected revision must be a non-negative integer, got ${expected}`);
  }
  return expected;
}

/** One validated entry of an appendMany. */
export interface ValidatedAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: SerialisedEvent[];
}

/**
 * Every entry validated and serialised before any is written: one bad event refuses them all.
 * An entry without events is a revision check (the stream must be at its expected revision when
 * the others are written), so "any" makes no sense there and is refused.
 */
export function validateAppendMany(entries: readonly StreamAppend[], options: ValidationOptions): ValidatedAppend[] {
  if (entries.length === 0) throw new InvalidAppend("appendMany needs at least one entry");
  if (entries.every((entry) => entry.events.length === 0)) throw new InvalidAppend("appendMany needs at least one event");
  return entries.map((entry) => {
    if (entry.events.length === 0) {
      if (!STREAM_ID.test(entry.streamId)) throw new InvalidAppend(`invalid stream id ${JSON.stringify(entry.streamId)}`);
      const expected = checkExpected(entry);
      if (expected === "any") throw new InvalidAppend(`the revision check of ${entry.streamId} needs an expected revision other than "any"`);
      return { streamId: entry.streamId, expected, events: [] };
    }
    const { expected, serialised } = validateAppend(entry.streamId, entry.events, entry, options);
    return { streamId: entry.streamId, expected, events: serialised };
  });
}

export interface SerialisedEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  /** JSON text of `data` and of `metadata` as written. */
  dataJson: string;
  metadataJson: string;
}

/** One event validated against the registry and serialised, or a typed error. */
export function serialiseEvent(event: NewEvent, registry: EventSchemaRegistry | undefined, limit: number): SerialisedEvent {
  const { type } = event;
  if (typeof type !== "string" || type.length === 0) throw new UnknownEventType(String(type));
  let data = event.data;
  if (registry) {
    const schema = Object.hasOwn(registry, type) ? registry[type] : undefined;
    if (!schema) throw new UnknownEventType(type);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new EventSchemaViolation(
        type,
        parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`),
      );
    }
    // Write what the schema accepted (stripped of unknown keys), not what the caller passed.
    if ("data" in parsed) data = parsed.data;
  }
  const metadata = { ...(event.metadata ?? {}) };
  const dataJson = stringify(data);
  const metadataJson = stringify(metadata);
  // JSON.stringify writes NaN and Infinity as null: refuse them instead. This walk (no cycles
  // left) plus a plain stringify costs about two thirds of a stringify with a replacer function.
  if (hasNonFiniteNumber(data) || hasNonFiniteNumber(metadata)) {
    throw new InvalidAppend("event data may not contain NaN or Infinity");
  }
  // PostgreSQL refuses these (jsonb and text alike): better one typed refusal than a failed batch.
  const typeJson = JSON.stringify(type);
  if (hasUnstorableEscape(dataJson) || hasUnstorableEscape(metadataJson) || hasUnstorableEscape(typeJson)) {
    throw new InvalidAppend("event data may not contain U+0000 or an unpaired surrogate");
  }
  // Bytes of `{"t":…,"d":…,"m":…}`, not characters: Chinese names take three bytes each.
  const bytes = 16 + Buffer.byteLength(typeJson, "utf8") + Buffer.byteLength(dataJson, "utf8") + Buffer.byteLength(metadataJson, "utf8");
  if (bytes > limit) throw new EventTooLarge(type, bytes, limit);
  return { type, data, metadata, dataJson, metadataJson };
}

function stringify(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // A bigint or a cycle: the caller's mistake, refused like any other bad append.
    if (error instanceof TypeError) {
      throw new InvalidAppend(
        /bigint/i.test(error.message)
          ? "event data may not contain bigint values; use strings or safe integers"
          : `event data is not JSON: ${error.message}`,
      );
    }
    throw error;
  }
  // undefined, a function or a symbol has no JSON text at all.
  if (json === undefined) throw new InvalidAppend("event data must be a JSON value");
  return json;
}

function hasUnstorableEscape(json: string): boolean {
  return json.includes("\\u") && UNSTORABLE_ESCAPE.test(json);
}

/** `\u0000` or a lone surrogate's `\udXXX` escape, where the backslash is not itself escaped. */
const UNSTORABLE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f])/i;

function hasNonFiniteNumber(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(hasNonFiniteNumber);
  for (const key in value) {
    if (Object.hasOwn(value, key) && hasNonFiniteNumber((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** The SQL encoding of expectedRevision used by aidtrail_append_batch. */
export function encodeExpected(expected: ExpectedRevision): number {
  switch (expected) {
    case "no_stream":
      return -1;
    case "any":
      return -2;
    case "stream_exists":
      return -3;
    default:
      return expected;
  }
}

/** Whether a stream at `actual` (-1: none) satisfies `expected`. */
export function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case "any":
      return true;
    case "no_stream":
      return actual === -1;
    case "stream_exists":
      return actual >= 0;
    default:
      return actual === expected;
  }
}
