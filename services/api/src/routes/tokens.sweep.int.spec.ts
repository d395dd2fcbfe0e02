import { createHmac } from "node:crypto";
import type { Role } from "@aidtrail/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_ROLES, accessMatrix } from "../auth/access-matrix.js";
import type { ApiHarness } from "../testing/api-harness.js";
import { createSweepHarness, problemFailures, StatusTally, SWEEP } from "../testing/sweep-checks.js";
import { type ValidRequest, validRequests } from "../testing/sweep-requests.js";

/**
 * Invalid tokens on every route of the access matrix, each on a request that would otherwise
 * succeed (so a token that slipped through would write): missing, malformed, expired, not yet
 * valid, without expiry, wrong key, `alg: none`, tampered, bad claims → 401; a role the route does
 * not allow, or a village scope of another village → 403. All problem+json, nothing written.
 */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
/** HS256 over exactly these claims (no iat or exp added). */
function hs256(key: string, claims: object): string {
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

interface TokenCase {
  name: string;
  status: 401 | 403;
  header: (h: ApiHarness, r: ValidRequest) => string | undefined;
}

const claims = (role: Role, extra: Record<string, unknown> = {}) => ({ sub: "sweep-01", roles: [role], scope: "township", iat: now(), exp: now() + 3_600, ...extra });

const tokenCases: TokenCase[] = [
  { name: "no header", status: 401, header: () => undefined },
  { name: "basic auth", status: 401, header: () => "Basic b2ZmaWNlcjpwYXNz" },
  { name: "bearer without token", status: 401, header: () => "Bearer" },
  { name: "not a JWT", status: 401, header: () => "Bearer not.a.jwt" },
  { name: "10 kB of garbage", status: 401, header: () => `Bearer ${"A".repeat(10_000)}` },
  { name: "expired", status: 401, header: (h, r) => `Bearer ${hs256(h.jwtSecret, claims(r.role, { iat: now() - 7_200, exp: now() - 3_600 }))}` },
  { name: "not yet valid", status: 401, header: (h, r) => `Bearer ${hs256(h.jwtSecret, claims(r.role, { nbf: now() + 3_600, exp: now() + 7_200 }))}` },
  { name: "without expiry", status: 401, header: (h, r) => `Bearer ${hs256(h.jwtSecret, { sub: "sweep-01", roles: [r.role], scope: "township", iat: now() })}` },
  { name: "wrong signing key", status: 401, header: (_h, r) => `Bearer ${hs256("right-shape-wrong-key-0123456789abcdef", claims(r.role))}` },
  { name: "alg none", status: 401, header: (_h, r) => `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims(r.role))}.` },
  {
    name: "payload swapped under a valid signature",
    status: 401,
    header: (h, r) => {
      const [head, , signature] = hs256(h.jwtSecret, claims(r.role, { roles: ["inspector"] })).split(".");
      return `Bearer ${head}.${b64(claims(r.role, { roles: [...ALL_ROLES] }))}.${signature}`;
    },
  },
  { name: "unknown role claim", status: 401, header: (h) => `Bearer ${hs256(h.jwtSecret, claims("admin", { roles: ["root"] }))}` },
  { name: "malformed scope claim", status: 401, header: (h, r) => `Bearer ${hs256(h.jwtSecret, claims(r.role, { scope: "village:" }))}` },
  { name: "no subject", status: 401, header: (h, r) => `Bearer ${hs256(h.jwtSecret, claims(r.role, { sub: "" }))}` },
];

let h: ApiHarness;
beforeAll(async () => {
  h = await createSweepHarness({ withProjector: true });
});
afterAll(async () => {
  await h?.close();
});

const send = (r: ValidRequest, authorization: string | undefined) =>
  h.app.inject({ method: r.method, url: r.url, ...(r.body ? { payload: r.body } : {}), headers: authorization ? { authorization } : {} });

describe("invalid tokens, wrong roles and foreign scopes on every route", () => {
  it("covers every route of the access matrix", () => {
    expect(validRequests.map((r) => r.key).sort()).toEqual(Object.keys(accessMatrix).sort());
  });

  it("401 for every bad token, 403 for every wrong role and foreign village; nothing written", async () => {
    const before = await h.countEvents();
    const tally = new StatusTally();
    const failures: string[] = [];
    for (const r of validRequests) {
      const check = async (name: string, status: number, authorization: string | undefined) => {
        const res = await send(r, authorization);
        tally.add(res.statusCode);
        failures.push(...problemFailures(`${r.key} with ${name} (want ${status})`, res, (s) => s === status));
      };
      for (const t of tokenCases) await check(t.name, t.status, t.header(h, r));
      const access = accessMatrix[r.key];
      for (const role of ALL_ROLES.filter((x) => !(access.roles as readonly Role[]).includes(x))) await check(`role ${role}`, 403, h.auth(role).authorization);
      if (access.scope.kind !== "any") await check(`scope village:${SWEEP.otherVillage}`, 403, h.auth(r.role, `village:${SWEEP.otherVillage}`).authorization);
    }
    const written = (await h.countEvents()) - before;
    console.log(`token sweep: ${tally.total} requests, statuses ${tally}, events written ${written}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(written).toBe(0);
  }, 120_000);

  it("control: the same requests with a right token and scope pass the door (so the refusals above were the token's)", async () => {
    for (const r of validRequests) {
      const scopes = accessMatrix[r.key].scope.kind === "township" ? (["township"] as const) : (["township", `village:${SWEEP.village}`] as const);
      for (const scope of scopes) {
        const res = await send(r, h.auth(r.role, scope).authorization);
        expect([401, 403], `${r.key} as ${r.role} in ${scope}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
      }
    }
  }, 120_000);
});
