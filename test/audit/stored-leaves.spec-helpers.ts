import { type Kysely, sql } from "kysely";

const CONTROL = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join("");

/** Values whose JSON and RFC 8785 texts differ, or that PostgreSQL prints differently. */
export const EDGE_VALUES: readonly unknown[] = [
  {},
  [],
  [{}, [], [[]]],
  "",
  `${CONTROL}\u007f\u2028\u2029"\\/`,
  "\u{1F600}\u{10FFFF}\uFB33 两不愁三保障",
  { [`${CONTROL}"\\`]: "key with every escape", "\u{1F600}": 1, "\uFB33": 2, a: 3, A: 4, "": 5, aa: 6, "a ": 7, "a!": 8 },
  [1e21, 1e20, 5e-7, 1e-6, -0, 0, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0.1, 1.5, 2.5e300, -1e-300, 123456789.125],
  { big: 1.7976931348623157e308, tiny: 5e-324, third: 1 / 3 },
  nested(100),
  { quote: 'a"b', backslash: "a\\b", both: '\\"' },
  true,
  null,
  0,
  "x",
];

function nested(depth: number): unknown {
  let value: unknown = { leaf: "bottom" };
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { [`k${i}`]: value };
  return value;
}

/** The value with U+0000 taken out of every string and key: PostgreSQL cannot store it (the store refuses it). */
export function storable(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\u0001");
  if (Array.isArray(value)) return value.map(storable);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("\u0000", "\u0001"), storable(v)]));
  }
  return value;
}

/** The stored leaf (hex, or null) of each position. */
export async function storedLeaves(db: Kysely<any>, positions: readonly bigint[]): Promise<Map<bigint, string | null>> {
  const { rows } = await sql<{ position: string; leaf: Buffer | null }>`
    select position::text as position, leaf from events where position = any (${positions.map(String)}::int8[])`.execute(db);
  return new Map(rows.map((r) => [BigInt(r.position), r.leaf === null ? null : r.leaf.toString("hex")]));
}
