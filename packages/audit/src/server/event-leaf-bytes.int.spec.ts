import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AuditEventText, canonicalEventJsonOfText } from "../canonical-json.js";
import { leafHashOfText } from "../merkle-hash.js";
import { leafOfTextBytes } from "./event-leaf-bytes.js";
import { randomJsonTexts } from "./json-texts.spec-helpers.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"), { migrate: false });
});
afterAll(async () => {
  await database?.drop();
});

/** JSON texts as PostgreSQL prints them once stored as jsonb: what the sealer reads. */
async function throughJsonb(texts: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ text: string }>`
    select t::jsonb::text as text from unnest(${texts}::text[]) with ordinality as u(t, i) order by i`.execute(database.db);
  return rows.map((r) => r.text);
}

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
