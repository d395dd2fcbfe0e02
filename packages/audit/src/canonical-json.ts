import { canonicalizeJsonbText } from "./canonical-jsonb-text.js";
import { utf8 } from "./verify/bytes.js";
import { type CanonicalEvent, isCanonicalTimestamp } from "./verify/canonical-event.js";
import { canonicalize, type JsonValue } from "./verify/canonical-json.js";

// JCS itself lives in verify/ so the browser verifier shares the exact same code.
export type { CanonicalEvent } from "./verify/canonical-event.js";
export { canonicalize, canonicalJsonBytes, type JsonValue, NotCanonicalisableError } from "./verify/canonical-json.js";

/** An event as the store records it; RecordedEvent from @aidtrail/event-store fits. */
export interface AuditEventInput {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: Date;
}

/**
 * The canonical object of an event: position as a JSON number (refused beyond 2^53−1,
 * where JSON readers would round it), recordedAt as ISO-8601 UTC with milliseconds.
 */
export function toCanonicalEvent(event: AuditEventInput): CanonicalEvent {
  if (event.position < 0n || event.position > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`position ${event.position} is not a non-negative safe integer`);
  }
  if (!Number.isSafeInteger(event.revision) || event.revision < 0) {
    throw new RangeError(`revision ${event.revision} is not a non-negative safe integer`);
  }
  if (Number.isNaN(event.recordedAt.getTime())) throw new RangeError("recordedAt is an invalid date");
  const recordedAt = event.recordedAt.toISOString();
  // Years outside 0000–9999 get an extended ISO form that verifiers refuse.
  if (!isCanonicalTimestamp(recordedAt)) throw new RangeError(`recordedAt ${recordedAt} is out of range`);
  return {
    position: Number(event.position),
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data as JsonValue,
    metadata: event.metadata as JsonValue,
    recordedAt,
  };
}

// Earliest and latest instants whose toISOString() is the 4-digit-year form (0000-01-01 … 9999-12-31).
const MIN_CANONICAL_TIME = -62167219200000;
const MAX_CANONICAL_TIME = 253402300799999;

/** An event whose data and metadata are the JSON text PostgreSQL printed for them (`data::text`). */
export interface AuditEventText extends Omit<AuditEventInput, "data" | "metadata"> {
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * RFC 8785 text of an event's canonical object, written out for its fixed shape: the
 * seven members in their sorted order (data, metadata, position, recordedAt, revision,
 * streamId, type), each value canonicalised as `canonicalize` would. The same text as
 * `canonicalize(toCanonicalEvent(event))`, with the same refusals, at a fraction of the cost.
 */
export function canonicalEventJson(event: AuditEventInput): string {
  checkEventNumbers(event);
  return canonicalEventText(event, canonicalize(event.data), canonicalize(event.metadata));
}

/**
 * The same text as `canonicalEventJson` for the same event, from the JSON text of its data
 * and metadata as stored (see canonicalizeJsonbText): what the sealer hashes, without
 * parsing every event into objects.
 */
export function canonicalEventJsonOfText(event: AuditEventText): string {
  checkEventNumbers(event);
  return canonicalEventText(event, canonicalizeJsonbText(event.dataJson), canonicalizeJsonbText(event.metadataJson));
}

/** Refuses an event whose position, revision or recordedAt has no canonical form (RangeError). */
export function checkEventNumbers(event: Omit<AuditEventInput, "data" | "metadata">): void {
  const { position, revision, recordedAt } = event;
  if (position < 0n || position > MAX_SAFE) throw new RangeError(`position ${position} is not a non-negative safe integer`);
  if (!Number.isSafeInteger(revision) || revision < 0) throw new RangeError(`revision ${revision} is not a non-negative safe integer`);
  const time = recordedAt.getTime();
  if (Number.isNaN(time)) throw new RangeError("recordedAt is an invalid date");
  if (time < MIN_CANONICAL_TIME || time > MAX_CANONICAL_TIME) {
    throw new RangeError(`recordedAt ${recordedAt.toISOString()} is out of range`);
  }
}

function canonicalEventText(event: Omit<AuditEventInput, "data" | "metadata">, data: string, metadata: string): string {
  return `{"data":${data},"metadata":${metadata}${canonicalEventTail(event)}`;
}

/** The canonical text of an event after its metadata: its last five members and the closing brace. */
export function canonicalEventTail(event: Omit<AuditEventInput, "data" | "metadata">): string {
  return (
    `,"position":${event.position}` +
    `,"recordedAt":"${event.recordedAt.toISOString()}","revision":${event.revision},"streamId":${canonicalize(event.streamId)}` +
    `,"type":${canonicalize(event.type)}}`
  );
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** RFC 8785 bytes of an event's canonical object: the input of its leaf hash. */
export function canonicalEventBytes(event: AuditEventInput): Uint8Array {
  return utf8(canonicalEventJson(event));
}
