import { describe, expect, it } from "vitest";
import { canonicalEventBytes, toCanonicalEvent } from "./canonical-json.js";

const event = {
  position: 42n,
  transactionId: 7n, // not part of the canonical object: storage detail
  streamId: "household-h1",
  revision: 3,
  type: "DisbursementRecorded",
  data: { amountFen: 60000, householdId: "h1" },
  metadata: { actor: "officer-1", role: "officer" },
  recordedAt: new Date("2026-03-01T08:00:00Z"),
};

describe("canonical event bytes", () => {
  it("given an event, when canonicalised, then it is the sorted seven-field object", () => {
    expect(new TextDecoder().decode(canonicalEventBytes(event))).toBe(
      '{"data":{"amountFen":60000,"householdId":"h1"},"metadata":{"actor":"officer-1","role":"officer"},' +
        '"position":42,"recordedAt":"2026-03-01T08:00:00.000Z","revision":3,"streamId":"household-h1",' +
        '"type":"DisbursementRecorded"}',
    );
  });

  it("keeps the largest safe position exact and refuses anything beyond", () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(toCanonicalEvent({ ...event, position: max }).position).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toCanonicalEvent({ ...event, position: max + 1n })).toThrow(RangeError);
    expect(() => toCanonicalEvent({ ...event, position: -1n })).toThrow(RangeError);
    expect(() => toCanonicalEvent({ ...event, revision: 1.5 })).toThrow(RangeError);
  });

  it("refuses invalid and out-of-range recordedAt", () => {
    expect(() => toCanonicalEvent({ ...event, recordedAt: new Date(Number.NaN) })).toThrow(RangeError);
    expect(() => toCanonicalEvent({ ...event, recordedAt: new Date("+010000-01-01T00:00:00Z") })).toThrow(RangeError);
  });

  it("refuses data outside the JSON model", () => {
    expect(() => canonicalEventBytes({ ...event, data: { amountFen: 1n } })).toThrow(TypeError);
  });
});
