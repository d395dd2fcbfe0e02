import type { Role } from "@aidtrail/domain";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessMatrix } from "../auth/access-matrix.js";
import type { ApiHarness } from "../testing/api-harness.js";
import { createSweepHarness, problemFailures, StatusTally, SWEEP } from "../testing/sweep-checks.js";

/**
 * Hostile query strings and path parameters on every GET route, with a valid token of a role the
 * route allows: overlong, unicode, NUL, `%`-garbage, repeated keys (arrays), unknown keys, numbers
 * out of range, impossible dates. Every request carries at least one mutation no schema accepts,
 * so every answer must be a 4xx problem+json, and a read must never write.
 */
const RUNS = 2_000;

interface Target {
  route: string;
  role: Role;
  /** The existing id the route is aimed at; absent for routes without a path parameter. */
  id?: string;
  /** A query every schema accepts. */
  query: Record<string, string>;
  /** Per key, values the route must refuse. */
  invalid: Record<string, readonly string[]>;
}

const BAD_DATES = ["2024-02-30", "2024-13-01", "2024-1-1", "99999-01-01", "20240101", "2024-01-01T00:00:00Z", "today"];
const BAD_TREE_SIZES = ["0", "-1", "1.5", "1e400", "NaN", "Infinity", "9007199254740993", "99999999999999999999", "abc"];
const BAD_POSITIONS = ["9223372036854775808", "99999999999999999999", "-1", "1.5", "", "abc", "1e3", "0x10"];
const BAD_IDS = ["a b", "a:b", "a#b", "x".repeat(129), ""];

const targets: Target[] = [
  { route: "/v1/households/:id", role: "auditor", id: SWEEP.household, query: {}, invalid: {} },
  { route: "/v1/households/:id/file", role: "auditor", id: SWEEP.household, query: {}, invalid: { asOf: ["9223372036854775808", "99999999999999999999", "-1", "1.5", "2024-02-30T00:00:00Z", "yesterday", ""] } },
  { route: "/v1/programs/:id/budget", role: "auditor", id: SWEEP.program, query: {}, invalid: {} },
  { route: "/v1/loans/:id/schedule", role: "auditor", id: SWEEP.loan, query: {}, invalid: { asOf: BAD_DATES, granularity: ["one_off", "bogus", ""] } },
  { route: "/v1/schedules/dividends", role: "auditor", query: {}, invalid: { householdId: BAD_IDS, status: ["bogus", ""], asOf: BAD_DATES } },
  { route: "/v1/disbursements/:id", role: "auditor", id: SWEEP.disbursement, query: {}, invalid: {} },
  { route: "/v1/disbursements/:id/receipt", role: "auditor", id: SWEEP.disbursement, query: {}, invalid: {} },
  { route: "/v1/audit/checkpoint", role: "auditor", query: {}, invalid: {} },
  { route: "/v1/audit/proofs/inclusion", role: "auditor", query: { position: "1" }, invalid: { position: BAD_POSITIONS, treeSize: BAD_TREE_SIZES } },
  { route: "/v1/audit/proofs/consistency", role: "auditor", query: { from: "1", to: "2" }, invalid: { from: BAD_TREE_SIZES, to: BAD_TREE_SIZES } },
  { route: "/v1/events", role: "auditor", query: {}, invalid: { after: ["x".repeat(46), "abc", "-1", "1.", ".5", "99999999999999999999.1", "1:2", "🙂"], limit: ["0", "-1", "10001", "1.5", "1e400", "NaN", ""] } },
  { route: "/v1/anomalies", role: "auditor", query: {}, invalid: { asOf: BAD_DATES, unverifiedAfterDays: ["-1", "3651", "1.5", "NaN", "1e400"], villageId: BAD_IDS, rule: ["bogus"], includeResolved: ["yes", "1", ""] } },
  { route: "/v1/reports/summary", role: "auditor", query: { from: "2024-01-01", to: "2024-06-30" }, invalid: { from: BAD_DATES, to: BAD_DATES, format: ["pdf", ""] } },
  { route: "/v1/verifications/sample", role: "inspector", query: { seed: "s", paidFrom: "2024-01-01", paidTo: "2024-12-31" }, invalid: { seed: ["", "x".repeat(129)], perVillage: ["0", "1001", "-1", "1.5", "NaN"], paidFrom: BAD_DATES, paidTo: BAD_DATES, villageId: BAD_IDS } },
];

/** Percent-encodes like a client would; a lone surrogate (no UTF-8 form) becomes U+FFFD first. */
const enc = (s: string) => encodeURIComponent(Buffer.from(s, "utf8").toString("utf8"));

/** Values for keys a route does not know, or as extra noise on keys it does (then they may be valid). */
const hostileValue = fc.oneof(
  fc.constantFrom("", "\u0000", "🙂".repeat(300), "x".repeat(5_000), "-1", "1e400", "9223372036854775808", "NaN", "Infinity", "__proto__", "' OR 1=1 --", "../../etc/passwd", "\uFEFF", "\uD800"),
  fc.string({ maxLength: 200, unit: "binary" }),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Path ids no route can find: invalid for the Id schema, over-long, NUL, `%`-garbage, or unknown. */
const hostileId = fc.oneof(
  fc.constantFrom("a%20b", "a%3Ab", "%23x", "x".repeat(129), "y".repeat(2_000), "%00", "a%00b", "%E0%A4%A", "%ZZ", "%", "..%2F..%2Fetc", "%C0%AE%C0%AE", "__proto__", "constructor", "%F0%9F%99%82".repeat(40), "未知户"),
  fc.string({ minLength: 1, maxLength: 150, unit: "binary" }).map((s) => enc(s)),
);

/** Raw query fragments, sent as they are (not encoded). */
const rawGarbage = fc.constantFrom("%ZZ=1", "a=%E0%A4%A", "%=%", "__proto__[x]=1", "constructor[prototype][x]=1", "a[]=1&a[]=2", `${"q".repeat(5_000)}=1`, "%00=%00", "a=%F0%9F", "a=%ED%A0%80", "a=1;b=2");

type Mutation =
  | { kind: "id"; id: string }
  | { kind: "unknownKey"; key: string; value: string }
  | { kind: "badValue"; key: string; value: string }
  | { kind: "drop"; key: string }
  | { kind: "repeat"; key: string; values: [string, string] }
  | { kind: "raw"; text: string };

/** One mutation that makes the request invalid whatever else happens. */
function invalidating(t: Target): fc.Arbitrary<Mutation> {
  const known = new Set([...Object.keys(t.query), ...Object.keys(t.invalid)]);
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant("unknownKey" as const), key: fc.string({ minLength: 1, maxLength: 60, unit: "binary" }).filter((k) => !known.has(k)), value: hostileValue }),
    rawGarbage.map((text) => ({ kind: "raw" as const, text })),
  ];
  if (t.id !== undefined) options.push(hostileId.map((id) => ({ kind: "id" as const, id })));
  const badKeys = Object.entries(t.invalid).filter(([, values]) => values.length > 0);
  if (badKeys.length > 0) {
    options.push(
      fc.constantFrom(...badKeys).chain(([key, values]) => fc.constantFrom(...values).map((value) => ({ kind: "badValue" as const, key, value }))),
      fc.record({ kind: fc.constant("repeat" as const), key: fc.constantFrom(...badKeys.map(([k]) => k)), values: fc.tuple(hostileValue, hostileValue) }),
    );
  }
  const required = Object.keys(t.query);
  if (required.length > 0) options.push(fc.constantFrom(...required).map((key) => ({ kind: "drop" as const, key })));
  return fc.oneof(...options);
}

function urlOf(t: Target, m: Mutation, noise: { key: string; value: string } | null): string {
  const id = m.kind === "id" ? m.id : enc(t.id ?? "");
  const query: Array<[string, string]> = Object.entries(t.query).map(([k, v]) => [k, v]);
  const set = (key: string, value: string) => {
    const i = query.findIndex(([k]) => k === key);
    if (i >= 0) query[i] = [key, value];
    else query.push([key, value]);
  };
  if (noise) set(noise.key, noise.value);
  if (m.kind === "badValue") set(m.key, m.value);
  if (m.kind === "drop") query.splice(query.findIndex(([k]) => k === m.key), 1);
  if (m.kind === "unknownKey") query.push([m.key, m.value]);
  if (m.kind === "repeat") query.push([m.key, m.values[0]], [m.key, m.values[1]]);
  const parts = query.map(([k, v]) => `${enc(k)}=${enc(v)}`);
  if (m.kind === "raw") parts.push(m.text);
  return `${t.route.replace(":id", id)}${parts.length > 0 ? `?${parts.join("&")}` : ""}`;
}

let h: ApiHarness;
beforeAll(async () => {
  h = await createSweepHarness({ withProjector: true });
});
afterAll(async () => {
  await h?.close();
});

describe("hostile query strings and path parameters on every GET route", () => {
  it("covers every GET route of the access matrix", () => {
    const gets = Object.keys(accessMatrix).filter((k) => k.startsWith("GET ")).map((k) => k.slice(4));
    expect(targets.map((t) => t.route).sort()).toEqual(gets.sort());
  });

  it(`${RUNS} hostile GETs: every answer a 4xx problem+json, no event written`, async () => {
    const before = await h.countEvents();
    const tally = new StatusTally();
    const failures: string[] = [];
    const request = fc.constantFrom(...targets).chain((t) =>
      fc.record({
        t: fc.constant(t),
        m: invalidating(t),
        noise: fc.option(fc.record({ key: fc.constantFrom(...Object.keys(t.invalid), "x"), value: hostileValue }), { nil: null, freq: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ t, m, noise }) => {
        // A known key given a random value may happen to be valid; the mutation keeps the request invalid.
        const url = urlOf(t, m, noise && noise.key in t.invalid ? noise : null);
        const res = await h.app.inject({ method: "GET", url, headers: h.auth(t.role) });
        tally.add(res.statusCode);
        failures.push(...problemFailures(`GET ${url.slice(0, 300)} (${m.kind})`, res));
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20_261_129) },
    );
    const written = (await h.countEvents()) - before;
    console.log(`GET sweep: ${tally.total} requests, statuses ${tally}, events written ${written}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(tally.total).toBe(RUNS);
    expect(written).toBe(0);
  }, 300_000);
});
