import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

/**
 * Hostile input across every POST route: malformed JSON, wrong types, missing and extra fields,
 * prototype-pollution keys, huge and deeply nested bodies, odd content types, forged tokens,
 * odd path ids and query strings. Every request is invalid by construction (at least one
 * mutation no schema accepts), so the log must not grow, and nothing may answer 5xx.
 */
const RUNS = 5_200;

interface Target {
  role: "officer" | "admin" | "approver";
  path: (id: string) => string;
  base: Record<string, unknown>;
  /** Keys whose absence no schema accepts. */
  required: string[];
}

const targets: Target[] = [
  { role: "officer", path: () => "/v1/households", base: fixtures.household("h-fuzz"), required: ["householdId", "villageId", "headMemberId", "members", "povertyCause", "registeredOn"] },
  { role: "officer", path: (id) => `/v1/households/${id}/status`, base: { status: "pre_exit", reason: "r", effectiveOn: "2024-01-01" }, required: ["status", "reason", "effectiveOn"] },
  { role: "admin", path: () => "/v1/programs", base: fixtures.program("prog-fuzz"), required: ["programId", "name", "kind", "rule", "fundingSource"] },
  { role: "admin", path: (id) => `/v1/programs/${id}/allocations`, base: fixtures.allocation("alloc-fuzz"), required: ["allocationId", "amountFen", "period"] },
  { role: "officer", path: () => "/v1/stakes", base: fixtures.stake("stake-fuzz", "h-1"), required: Object.keys(fixtures.stake()) },
  { role: "officer", path: () => "/v1/loans", base: fixtures.loan("loan-fuzz", "h-1"), required: Object.keys(fixtures.loan()) },
  { role: "officer", path: () => "/v1/disbursements", base: fixtures.disbursement("d-fuzz", "h-1", "prog"), required: Object.keys(fixtures.disbursement()) },
  { role: "approver", path: (id) => `/v1/disbursements/${id}/approve`, base: {}, required: [] },
  { role: "approver", path: (id) => `/v1/disbursements/${id}/reject`, base: { reason: "r" }, required: ["reason"] },
  { role: "officer", path: (id) => `/v1/disbursements/${id}/reversal`, base: { reason: "r" }, required: ["reason"] },
  { role: "admin", path: (id) => `/v1/projections/${id}/resume`, base: {}, required: [] },
];

const hostileValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 0.5, 1e308, "1e3", "NaN", "Infinity", "", " ", "\u0000", "🙂".repeat(50)),
  fc.string({ maxLength: 2_000 }),
  fc.constantFrom("' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}", "../../etc/passwd", "2024-02-30", "2024-Q5"),
);

/** The mutation that makes a body invalid whatever else happens. */
const invalidating = (t: Target) =>
  fc.oneof(
    fc.record({ kind: fc.constant("extra" as const), key: fc.string({ minLength: 1, maxLength: 40 }).filter((k) => !(k in t.base) && k !== "__proto__"), value: hostileValue }),
    fc.record({ kind: fc.constant("proto" as const), key: fc.constantFrom("__proto__", "constructor") }),
    ...(t.required.length > 0
      ? [
          fc.record({ kind: fc.constant("drop" as const), key: fc.constantFrom(...t.required) }),
          fc.record({ kind: fc.constant("retype" as const), key: fc.constantFrom(...t.required), value: fc.oneof(fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 })) }),
        ]
      : []),
    fc.record({ kind: fc.constant("raw" as const), text: fc.oneof(
      fc.constantFrom("", "{", "{\"a\":", "[", "null", "true", "42", "\"str\"", "[]", "{}}", "\uFEFF{}", "{'a':1}", "[".repeat(5_000) + "]".repeat(5_000)),
      fc.string({ maxLength: 500 }),
      fc.json({ maxDepth: 3 }).filter((j) => !j.trim().startsWith("{")),
    ) }),
    fc.record({ kind: fc.constant("huge" as const), size: fc.integer({ min: 300_000, max: 600_000 }) }),
  );

/** Further mutations that may or may not be invalid on their own. */
const extraMutation = (t: Target) =>
  Object.keys(t.base).length === 0
    ? fc.constant(null)
    : fc.option(fc.record({ key: fc.constantFrom(...Object.keys(t.base)), value: hostileValue }), { nil: null });

const authHeader = (h: () => ApiHarness, role: Target["role"]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(() => h().auth(role).authorization) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        () => undefined,
        () => "Basic b2ZmaWNlcjpwYXNz",
        () => "Bearer",
        () => "Bearer not.a.jwt",
        () => `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "x", roles: [role], scope: "township" })}.`,
        () => forge({ sub: "x", roles: [role], scope: "township", exp: 1 }, "right-shape-wrong-key-0123456789abcdef"),
        () => h().auth(role).authorization.slice(0, -3) + "abc",
        () => `Bearer ${"A".repeat(10_000)}`,
      ),
    },
  );

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function forge(claims: object, key: string): string {
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `Bearer ${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

const pathId = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("h-1", "prog", "d-1") },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 300 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom("..%2F..%2Fetc", "%00", "%E0%A4%A", "a%3Ab", "a%20b", "x".repeat(2_000), "%25", "__proto__") },
);
const query = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  { weight: 4, arbitrary: fc.oneof(
    fc.constantFrom("?__proto__[admin]=1", "?constructor[prototype][x]=1", "?wait=%00", "?a=1&a=2&a[]=3", `?${"q".repeat(5_000)}=1`, "?%ZZ"),
    fc.webQueryParameters().map((q) => `?${q}`),
  ) },
);
const contentType = fc.oneof(
  { weight: 7, arbitrary: fc.constant("application/json") },
  { weight: 3, arbitrary: fc.constantFrom(undefined, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/problem+json", "*/*") },
);

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  // Real data for the ids the fuzzer aims at, so a request that slipped through could do harm.
  const officer = h.auth("officer", "township", "setup");
  const admin = h.auth("admin");
  for (const [url, payload, headers] of [
    ["/v1/households", fixtures.household("h-1"), officer],
    ["/v1/programs", fixtures.program("prog", 100), admin],
    ["/v1/programs/prog/allocations", fixtures.allocation(), admin],
    ["/v1/disbursements", fixtures.disbursement("d-1", "h-1", "prog", 1_000), officer],
  ] as const) {
    const res = await h.app.inject({ method: "POST", url, payload, headers });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterAll(async () => {
  await h?.close();
});

describe("fuzzing every POST route", () => {
  it(`${RUNS} hostile requests: no 5xx, no event written`, async () => {
    const before = await h.countEvents();
    const statuses = new Map<number, number>();
    let requests = 0;
    const failures: string[] = [];
    const request = fc
      .nat({ max: targets.length - 1 })
      .chain((i) => {
        const t = targets[i] as Target;
        return fc.record({ t: fc.constant(t), invalid: invalidating(t), extra: extraMutation(t), auth: authHeader(() => h, t.role), id: pathId, query, contentType });
      });
    await fc.assert(
      fc.asyncProperty(request, async ({ t, invalid, extra, auth, id, query, contentType }) => {
        let body: Record<string, unknown> = { ...t.base };
        if (extra) body[extra.key] = extra.value;
        let payload: string;
        switch (invalid.kind) {
          case "extra":
            body[invalid.key] = invalid.value;
            payload = JSON.stringify(body);
            break;
          case "drop":
            delete body[invalid.key];
            payload = JSON.stringify(body);
            break;
          case "retype":
            body = { ...body, [invalid.key]: invalid.value };
            payload = JSON.stringify(body);
            break;
          case "proto": {
            const json = JSON.stringify(body);
            const injected = invalid.key === "__proto__" ? `"__proto__":{"roles":["admin"]}` : `"constructor":{"prototype":{"x":1}}`;
            payload = json === "{}" ? `{${injected}}` : `{${injected},${json.slice(1)}`;
            break;
          }
          case "raw":
            payload = invalid.text;
            break;
          case "huge":
            payload = JSON.stringify({ ...body, padding: "x".repeat(invalid.size) });
            break;
        }
        const authorization = auth();
        const res = await h.app.inject({
          method: "POST",
          url: `${t.path(id)}${query}`,
          payload,
          headers: { ...(authorization ? { authorization } : {}), ...(contentType ? { "content-type": contentType } : {}) },
        });
        requests++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500 || res.statusCode < 400) failures.push(`${res.statusCode} POST ${t.path(id)}${query} ${payload.slice(0, 200)} → ${res.body.slice(0, 300)}`);
        if (res.statusCode >= 400 && !String(res.headers["content-type"]).startsWith("application/problem+json")) failures.push(`not a problem: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (/at .*\.(ts|js):\d+/.test(res.body)) failures.push(`stack trace leaked: ${res.body.slice(0, 300)}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20_241_129) },
    );
    const written = (await h.countEvents()) - before;
    console.log(`fuzz: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, events written ${written}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(5_000);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(written).toBe(0);
  }, 300_000);
});
