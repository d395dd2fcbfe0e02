import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signHs256 } from "../auth/dev-token.js";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
});
afterAll(async () => {
  await h?.close();
});

describe("a bearer header verified before (answered from VerifiedTokens)", () => {
  it("still passes the route's role check, never covers another header, and is refused once its token expires", async () => {
    const issued = new Date();
    const authorization = `Bearer ${signHs256({ sub: "auditor-07", roles: ["auditor"], scope: "township" }, h.jwtSecret, 2, issued)}`;
    const expiresAtMs = (Math.floor(issued.getTime() / 1000) + 2) * 1000;
    const read = (auth: string) => h.app.inject({ method: "GET", url: "/v1/households/nobody", headers: { authorization: auth } });

    const first = await read(authorization);
    expect(first.statusCode, first.body).toBe(404); // verified, then remembered
    expect((await read(authorization)).statusCode).toBe(404); // remembered
    const write = await h.app.inject({ method: "POST", url: "/v1/disbursements", headers: { authorization }, payload: {} });
    expect(write.statusCode).toBe(403);
    // The same claims under another signature are another header: verified, and refused.
    const tampered = `${authorization.slice(0, -4)}${authorization.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expect((await read(tampered)).statusCode).toBe(401);

    while (Date.now() < expiresAtMs) await new Promise((r) => setTimeout(r, expiresAtMs - Date.now() + 5));
    const expired = await read(authorization);
    expect(expired.statusCode).toBe(401);
    expect(expired.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(await h.countEvents()).toBe(0);
  });
});
