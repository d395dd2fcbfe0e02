import type { JsonValue } from "./canonical-json.js";
import { VerificationError } from "./errors.js";

/**
 * The canonical form of an event, the object whose RFC 8785 bytes become a leaf.
 * `position` and `revision` are JSON numbers (safe integers, so any JSON parser reads
 * them exactly); `recordedAt` is ISO-8601 UTC with milliseconds (`…T12:00:00.000Z`).
 */
export interface CanonicalEvent {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
  readonly recordedAt: string;
}

const KEYS = ["data", "metadata", "position", "recordedAt", "revision", "streamId", "type"];
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a string is the canonical recordedAt form of a valid instant. */
export function isCanonicalTimestamp(value: string): boolean {
  if (!ISO_MILLIS.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** Checks that an untrusted value (say, from a receipt) has exactly the canonical event shape. */
export function assertCanonicalEvent(value: unknown): asserts value is CanonicalEvent {
  const fail = (why: string): never => {
    throw new VerificationError("malformed", `event: ${why}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("not an object");
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.length !== KEYS.length || keys.some((k, i) => k !== KEYS[i])) {
    return fail(`fields must be exactly ${KEYS.join(", ")}`);
  }
  for (const key of ["position", "revision"] as const) {
    const n = record[key];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) fail(`${key} must be a non-negative safe integer`);
  }
  for (const key of ["streamId", "type", "recordedAt"] as const) {
    if (typeof record[key] !== "string") fail(`${key} must be a string`);
  }
  if (!isCanonicalTimestamp(record.recordedAt as string)) fail("recordedAt must be ISO-8601 UTC with milliseconds");
}
