import type { Role } from "@aidtrail/domain";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";
import { ALL_ROLES, type RouteKey, accessMatrix } from "./access-matrix.js";
import type { Scope } from "./principal.js";

// Two villages: the caller is scoped to A; "out of scope" requests name B's households and payments.
const A = "三铺村";
const B = "王庄村";
type Side = "A" | "B";

let h: ApiHarness;
let n = 0;
const hh = (side: Side) => `h-${side}`;

/** A well-formed request per route, naming side A's or side B's data. */
const requests: Record<RouteKey, (side: Side) => { method: "GET" | "POST"; url: string; payload?: object }> = {
  "POST /v1/households": (s) => ({ method: "POST", url: "/v1/households", payload: fixtures.household(`h-new-${++n}`, s === "A" ? A : B) }),
  "POST /v1/households/:id/status": (s) => ({
    method: "POST",
    url: `/v1/households/${hh(s)}/status`,
    payload: { status: "pre_exit", reason: `visit ${++n}`, effectiveOn: "2024-06-01" },
  }),
  "GET /v1/households/:id": (s) => ({ method: "GET", url: `/v1/households/${hh(s)}` }),
  "GET /v1/households/:id/file": (s) => ({ method: "GET", url: `/v1/households/${hh(s)}/file` }),
  "POST /v1/programs": () => ({ method: "POST", url: "/v1/programs", payload: fixtures.program(`prog-${++n}`) }),
  "POST /v1/programs/:id/allocations": () => ({ method: "POST", url: "/v1/programs/prog/allocations", payload: fixtures.allocation(`alloc-${++n}`) }),
  "GET /v1/programs/:id/budget": () => ({ method: "GET", url: "/v1/programs/prog/budget" }),
  "POST /v1/stakes": (s) => ({ method: "POST", url: "/v1/stakes", payload: fixtures.stake(`stake-${++n}`, hh(s)) }),
  "POST /v1/loans": (s) => ({ method: "POST", url: "/v1/loans", payload: fixtures.loan(`loan-${++n}`, hh(s)) }),
  "GET /v1/loans/:id/schedule": (s) => ({ method: "GET", url: `/v1/loans/loan-${s}/schedule` }),
  "GET /v1/schedules/dividends": (s) => ({ method: "GET", url: `/v1/schedules/dividends?householdId=${hh(s)}` }),
  "POST /v1/disbursements": (s) => ({ method: "POST", url: "/v1/disbursements", payload: fixtures.disbursement(`d-new-${++n}`, hh(s), "prog", 1_000) }),
  "GET /v1/disbursements/:id": (s) => ({ method: "GET", url: `/v1/disbursements/d-${s}` }),
  "GET /v1/disbursements/:id/receipt": (s) => ({ method: "GET", url: `/v1/disbursements/d-${s}/receipt` }),
  "GET /v1/audit/checkpoint": () => ({ method: "GET", url: "/v1/audit/checkpoint" }),
  "GET /v1/audit/proofs/inclusion": () => ({ method: "GET", url: "/v1/audit/proofs/inclusion?position=1&treeSize=1" }),
  "GET /v1/audit/proofs/consistency": () => ({ method: "GET", url: "/v1/audit/proofs/consistency?from=1&to=1" }),
  "GET /v1/events": () => ({ method: "GET", url: "/v1/events?limit=1" }),
  "POST /v1/disbursements/:id/approve": (s) => ({ method: "POST", url: `/v1/disbursements/d-${s}/approve`, payload: {} }),
  "POST /v1/disbursements/:id/reject": (s) => ({ method: "POST", url: `/v1/disbursements/d-${s}/reject`, payload: { reason: "no" } }),
  "POST /v1/disbursements/:id/reversal": (s) => ({ method: "POST", url: `/v1/disbursements/d-${s}/reversal`, payload: { reason: "wrong" } }),
  "POST /v1/verifications": (s) => ({ method: "POST", url: "/v1/verifications", payload: { verificationId: `v-${++n}`, disbursementId: `d-${s}`, outcome: "received", visitedOn: "2030-01-01", method: "home_visit" } }),
  "GET /v1/anomalies": (s) => ({ method: "GET", url: `/v1/anomalies?asOf=2024-06-30&villageId=${encodeURIComponent(s === "A" ? A : B)}` }),
  "GET /v1/reports/summary": () => ({ method: "GET", url: "/v1/reports/summary?from=2024-01-01&to=2024-06-30" }),
  "POST /v1/projections/:name/resume": () => ({ method: "POST", url: "/v1/projections/anomalies/resume", payload: {} }),
  "GET /v1/verifications/sample": (s) => ({ method: "GET", url: `/v1/verifications/sample?seed=s&paidFrom=2024-01-01&paidTo=2030-12-31&villageId=${encodeURIComponent(s === "A" ? A : B)}` }),
};

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const officer = h.auth("officer", "township", "setup-officer");
  const admin = h.auth("admin");
  const ok = async (url: string, payload: object, headers: Record<string, string>) => {
    const res = await h.app.inject({ method: "POST", url, payload, headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  };
  await ok("/v1/programs", fixtures.program("prog", 100), admin);
  await ok("/v1/programs/prog/allocations", fixtures.allocation("alloc", 1_000_000_000), admin);
  for (const side of ["A", "B"] as const) {
    await ok("/v1/households", fixtures.household(hh(side), side === "A" ? A : B), officer);
    await ok("/v1/loans", fixtures.loan(`loan-${side}`, hh(side)), officer);
    await ok("/v1/disbursements", fixtures.disbursement(`d-${side}`, hh(side), "prog", 1_000), officer);
  }
});
afterAll(async () => {
  await h?.close();
});

/** The scope of the caller and the side its request names, for "in" and "out of" scope. */
function caseOf(key: RouteKey, inScope: boolean): { scope: Scope; side: Side; expectForbidden: boolean } {
  const rule = accessMatrix[key].scope;
  if (rule.kind === "township") return { scope: inScope ? "township" : `village:${A}`, side: "A", expectForbidden: !inScope };
  if (rule.kind === "any") return { scope: `village:${A}`, side: inScope ? "A" : "B", expectForbidden: false };
  return { scope: `village:${A}`, side: inScope ? "A" : "B", expectForbidden: !inScope };
}

const cases = (Object.keys(accessMatrix) as RouteKey[]).flatMap((key) =>
  ALL_ROLES.flatMap((role) => [true, false].map((inScope) => ({ key, role, inScope }))),
);

describe(`the access matrix: ${Object.keys(accessMatrix).length} routes × ${ALL_ROLES.length} roles × in/out of scope = ${cases.length} cases`, () => {
  it("every matrix route is registered", () => {
    for (const key of Object.keys(accessMatrix)) {
      const [method, url] = key.split(" ") as ["GET" | "POST", string];
      expect(h.app.hasRoute({ method, url }), key).toBe(true);
    }
  });

  it.each(cases)("$key as $role, in scope: $inScope", async ({ key, role, inScope }) => {
    const allowed = (accessMatrix[key].roles as readonly Role[]).includes(role);
    const { scope, side, expectForbidden } = caseOf(key, inScope);
    const res = await h.app.inject({ ...requests[key](side), headers: h.auth(role, scope, `${role}-matrix`) });
    if (!allowed || expectForbidden) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().type).toBe("https://aidtrail.dev/problems/forbidden");
    } else {
      // Authorisation only: whether the read or write then succeeds is the route tests' business.
      expect([401, 403], `${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
    }
  });

  it.each(Object.keys(accessMatrix) as RouteKey[])("%s without a token is 401", async (key) => {
    const res = await h.app.inject(requests[key]("A"));
    expect(res.statusCode).toBe(401);
  });
});
