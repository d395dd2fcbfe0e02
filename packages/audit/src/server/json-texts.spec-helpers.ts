import { type Kysely, sql } from "kysely";

// Keys and strings that sort or print differently in jsonb and RFC 8785: lengths, ' ' and '!'
// below '"', non-ASCII, a supplementary-plane character against U+FB33 (UTF-8 and UTF-16
// orders differ there), escapes, the separators jsonb prints inside a string.
const KEYS = ["a", "b", "aa", "a!", "a ", "A", "", "é", "中文", "\u{1F600}", "\uFB33", "kind", "amountFen", "x\"y", "tab\t", "\\"];
const STRINGS = ["", "x", "a, b: c", "两不愁三保障", "\u{1F600}", "\n", "\u0001", "quote\"", "back\\slash", "/", "\u007f", "\u2028"];
const NUMBERS = [
  "0", "-0", "1", "-1", "7", "123456789012345", "1234567890123456", "9007199254740993", "-123456789012345678901",
  "1.5", "1.50", "0.1", "-0.000001", "0.0000001", "1e21", "1E-7", "100000000000000000000", "1e400", "2.5e+3", "0.30000000000000004",
];

/** A deterministic generator of JSON texts (a small LCG, so a failure reproduces). */
export function randomJsonTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor(state / 65536) % n;
  };
  const pick = <T>(list: readonly T[]) => list[next(list.length)]!;
  const valueText = (depth: number): string => {
    const kind = depth > 4 ? next(4) : next(7);
    if (kind === 0) return JSON.stringify(pick(STRINGS));
    if (kind === 1) return pick(NUMBERS);
    if (kind === 2) return pick(["true", "false", "null"]);
    if (kind === 3) return String(next(2_000_000) - 1_000_000);
    if (kind === 4) return `[${Array.from({ length: next(4) }, () => valueText(depth + 1)).join(", ")}]`;
    const members = Array.from({ length: next(6) }, () => `${JSON.stringify(pick(KEYS))}:${valueText(depth + 1)}`);
    return `{${members.join(",")}}`;
  };
  return Array.from({ length: count }, () => valueText(0));
}

/** JSON texts as PostgreSQL prints them once stored as jsonb: what the sealer reads. */
export async function printedAsJsonb(db: Kysely<any>, texts: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ text: string }>`
    select t::jsonb::text as text from unnest(${texts}::text[]) with ordinality as u(t, i) order by i`.execute(db);
  return rows.map((r) => r.text);
}
