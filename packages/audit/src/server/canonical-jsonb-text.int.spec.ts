import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { canonicalizeJsonbText } from "../canonical-jsonb-text.js";
import { canonicalize } from "../verify/canonical-json.js";
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
