import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AuditEventText, canonicalEventJsonOfText } from "../canonical-json.js";
import { canonicalizeJsonbText } from "../canonical-jsonb-text.js";
import { leafHashOfText } from "../merkle-hash.js";
import { canonicalize } from "../verify/canonical-json.js";
import { leafOfTextBytes } from "./event-leaf-bytes.js";
import { printedAsJsonb, randomJsonTexts } from "./json-texts.spec-helpers.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"), { migrate: false });
});
afterAll(async () => {
  await database?.drop();
});

const throughJsonb = (texts: readonly string[]) => printedAsJsonb(database.db, texts);

/** What canonicalize does with the text parsed into objects, or the message it refuses with. */
function reference(text: string): string {
  try {
    return canonicalize(JSON.parse(text));
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

function fast(text: string): string {
  try {
    return canonicalizeJsonbText(text);
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe("canonical JSON from jsonb text", () => {
  it("given thousands of generated values stored as jsonb, when canonicalised from their text, then each equals canonicalize of the parsed value", async () => {
    const printed = await throughJsonb(randomJsonTexts(4000, 20261129));
    const differing = printed.filter((text) => fast(text) !== reference(text));
    expect(differing).toEqual([]);
    // The generator reaches both paths: texts with and without escapes, refused and accepted values.
    expect(printed.filter((t) => !t.includes("\\")).length).toBeGreaterThan(1000);
    expect(printed.filter((t) => reference(t).startsWith("refused")).length).toBeGreaterThan(10);
  });

  it("given the values events hold, when read back from jsonb, then the canonical text is the reference's", async () => {
    const texts = [
      '{"inputs": {"kind": "medical_aid", "paid180Fen": 240000, "ruleVersion": 1}, "period": "2024", "slotKey": null, "amountFen": 1120000}',
      '{"note": "2024 plan (资金计划)", "reason": "income above the line, 两不愁三保障 met", "members": [{"name": "郭明", "n": -5}, {}], "e": []}',
      '{"b": {"d": {"f": 1, "e": 2}, "c": 3}, "a": [[], [{}], [1.25, -0.5]]}',
      '{"a ": 1, "a!": 2, "a": 3, "\u{1F600}": 4, "\uFB33": 5}',
    ];
    const printed = await throughJsonb(texts);
    for (const text of printed) expect(canonicalizeJsonbText(text)).toBe(canonicalize(JSON.parse(text)));
    expect(canonicalizeJsonbText(printed[3]!)).toBe('{"a":3,"a ":1,"a!":2,"\u{1F600}":4,"\uFB33":5}');
  });

  it("given values canonicalize refuses, when canonicalised from jsonb text, then they are refused with the same message", async () => {
    const deep = `${"[".repeat(129)}1${"]".repeat(129)}`;
    const [tooDeep, tooBig] = await throughJsonb([deep, '{"amountFen": 1e400}']);
    expect(() => canonicalizeJsonbText(tooDeep!)).toThrow(/nested deeper than 128/);
    expect(fast(tooDeep!)).toBe(reference(tooDeep!));
    expect(() => canonicalizeJsonbText(tooBig!)).toThrow(/not a JSON number/);
    expect(fast(tooBig!)).toBe(reference(tooBig!));
    // At the bound itself the value is accepted, as canonicalize accepts it.
    const [atBound] = await throughJsonb([`${"[".repeat(128)}1${"]".repeat(128)}`]);
    expect(canonicalizeJsonbText(atBound!)).toBe(canonicalize(JSON.parse(atBound!)));
  });

  it("given text in another layout than jsonb's, when canonicalised, then the reference path still gives canonical JSON", () => {
    for (const text of ['{"b":1,"a":2}', ' {"a" : [1 ,2]} ', '{"a": "\\u0041"}', '{"a": 01}', '{"a": 1, "a": 2}', '[1, 2', '{"a": -}']) {
      expect(fast(text)).toBe(reference(text));
    }
  });
});

function eventOf(dataJson: string, metadataJson = '{"actor": "a"}'): AuditEventText {
  return { position: 7n, revision: 2, recordedAt: new Date(Date.UTC(2024, 5, 30)), streamId: 'odd-"中', type: "类型", dataJson, metadataJson };
}

/** The string path's leaf, or the message it refuses with. */
function stringLeaf(event: AuditEventText): string {
  try {
    return Buffer.from(leafHashOfText(canonicalEventJsonOfText(event))).toString("hex");
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

/** The byte path's leaf, "declined" when it leaves the event to the string path, or the message it refuses with. */
function byteLeaf(event: AuditEventText): string {
  try {
    const leaf = leafOfTextBytes(event);
    return leaf === undefined ? "declined" : Buffer.from(leaf).toString("hex");
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe("leaves built as bytes from jsonb text", () => {
  it("given thousands of generated values stored as jsonb, when their leaves are built as bytes, then each is the string path's or declined", async () => {
    const printed = await throughJsonb(randomJsonTexts(4000, 20261130));
    const events = printed.flatMap((text, i) => [eventOf(text), eventOf(printed[(i + 1) % printed.length]!, text)]);
    const differing = events.filter((e) => byteLeaf(e) !== "declined" && byteLeaf(e) !== stringLeaf(e));
    expect(differing).toEqual([]);
    // The byte path is not a path nobody takes: most generated values are in its layout.
    expect(events.filter((e) => byteLeaf(e) !== "declined").length).toBeGreaterThan(events.length / 4);
  });

  it("given keys that sort differently with their quotes, nesting and integers, when built as bytes, then the leaf is the string path's", async () => {
    const texts = await throughJsonb([
      '{"a ": 1, "a!": [true, false, null], "a": {"zz": {"b": -12, "a": 0}, "y": []}, "": {}, "kind": "两不愁三保障 \u{1F600}"}',
      '[{"b": 1, "a": [{"d": 123456789012345, "c": -1}]}, "x", 0]',
    ]);
    for (const text of texts) {
      expect(byteLeaf(eventOf(text))).not.toBe("declined");
      expect(byteLeaf(eventOf(text))).toBe(stringLeaf(eventOf(text)));
    }
  });

  it("given what the byte path does not reproduce, when built as bytes, then it declines and leaves the event to the string path", () => {
    const declined = [
      '{"é": 1}', // a non-ASCII key: UTF-8 and UTF-16 orders may differ
      '{"a": 1.5}', // not an integer
      '{"a": 1234567890123456}', // more digits than a double keeps exactly
      '{"a": -0}', // -0 prints as 0
      '{"a": "back\\\\slash"}', // an escape
      '{"a": "raw\u0001control"}', // not JSON
      '{"a": "lone \ud800 surrogate"}', // refused by the string path
      '{"a": 1, "a": 2}', // a duplicate key
      `${"[".repeat(129)}1${"]".repeat(129)}`, // deeper than canonicalize accepts
    ];
    for (const text of declined) {
      expect(byteLeaf(eventOf(text)), text).toBe("declined");
      expect(byteLeaf(eventOf('{"a": 1}', text)), text).toBe("declined");
    }
  });

  it("given an event whose numbers have no canonical form, when built as bytes, then it is refused as by the string path", () => {
    const event = { ...eventOf('{"a": 1}'), position: -1n };
    expect(byteLeaf(event)).toMatch(/^refused: position -1/);
    expect(byteLeaf(event)).toBe(stringLeaf(event));
  });
});
