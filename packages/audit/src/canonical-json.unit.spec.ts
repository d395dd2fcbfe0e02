import { describe, expect, it } from "vitest";
import { canonicalEventBytes, canonicalEventJson, canonicalize, toCanonicalEvent } from "./canonical-json.js";
import { leafHash, leafHashOfText } from "./merkle-hash.js";
import { toHex, utf8 } from "./verify/bytes.js";

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

  it("writes the event shape out exactly as canonicalize(toCanonicalEvent(event)) does, and hashes it the same", () => {
    // A seeded walk over awkward values: unicode keys and strings, escapes, numbers of every form, nesting.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const strings = ["", "a", "€", "😀", "\u0000\u001f\"\\/", "\u2028\u2029", "助学金", "\ufb33", "\r\n\t", "1"];
    const numbers = [0, -0, 1, -1, 1.5, 1e21, 1e-7, Number("333333333.33333329"), 5e-324, Number.MAX_SAFE_INTEGER, 60000];
    const value = (depth: number): unknown => {
      const r = next();
      if (depth > 3 || r < 0.3) return strings[Math.floor(next() * strings.length)];
      if (r < 0.5) return numbers[Math.floor(next() * numbers.length)];
      if (r < 0.55) return next() < 0.5;
      if (r < 0.6) return null;
      if (r < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i--) o[strings[Math.floor(next() * strings.length)]! + String(i)] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 500; i++) {
      const e = {
        ...event,
        position: BigInt(Math.floor(next() * 1e12)),
        revision: Math.floor(next() * 1000),
        streamId: `s-${strings[i % strings.length]}`,
        type: strings[(i * 7) % strings.length]!,
        data: value(0),
        metadata: value(0),
        recordedAt: new Date(Math.floor(next() * 4e12) - 1e12),
      };
      const expected = canonicalize(toCanonicalEvent(e));
      expect(canonicalEventJson(e)).toBe(expected);
      expect(toHex(leafHashOfText(canonicalEventJson(e)))).toBe(toHex(leafHash(utf8(expected))));
    }
  });

  it("refuses in canonicalEventJson what toCanonicalEvent refuses", () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(() => canonicalEventJson({ ...event, position: max + 1n })).toThrow(RangeError);
    expect(() => canonicalEventJson({ ...event, position: -1n })).toThrow(RangeError);
    expect(() => canonicalEventJson({ ...event, revision: -1 })).toThrow(RangeError);
    expect(() => canonicalEventJson({ ...event, recordedAt: new Date(Number.NaN) })).toThrow(RangeError);
    expect(() => canonicalEventJson({ ...event, recordedAt: new Date("+010000-01-01T00:00:00Z") })).toThrow(RangeError);
    expect(() => canonicalEventJson({ ...event, recordedAt: new Date("-000001-12-31T23:59:59.999Z") })).toThrow(RangeError);
    expect(canonicalEventJson({ ...event, recordedAt: new Date("0000-01-01T00:00:00.000Z") })).toContain('"recordedAt":"0000-01-01T00:00:00.000Z"');
    expect(canonicalEventJson({ ...event, recordedAt: new Date("9999-12-31T23:59:59.999Z") })).toContain('"recordedAt":"9999-12-31T23:59:59.999Z"');
    expect(() => canonicalEventJson({ ...event, data: { a: "\ud800" } })).toThrow(/\$\.a: string has a lone surrogate/);
  });
});
