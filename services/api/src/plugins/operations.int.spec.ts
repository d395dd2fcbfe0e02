import { randomBytes } from "node:crypto";
import { createPostgresPiiVault } from "@aidtrail/commands";
import { createDb, createPool } from "@aidtrail/db";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { freePort } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildApp } from "../app.js";
import { signHs256 } from "../auth/dev-token.js";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { rateLimit: { max: 5, timeWindowMs: 60_000 }, bodyLimitBytes: 16 * 1024 });
});
afterAll(async () => {
  await h?.close();
});

describe("operations", () => {
  it("a body over the limit is a 413 problem", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/households",
      payload: { ...fixtures.household("h-big"), povertyCause: "x".repeat(20_000) },
      headers: h.auth("officer", "township", "big-sender"),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ type: "https://aidtrail.dev/problems/payload_too_large", status: 413 });
  });

  it("the rate limit is per token subject: a 429 problem for one, others unaffected", async () => {
    const get = (sub: string) => h.app.inject({ method: "GET", url: "/v1/programs/none/budget", headers: h.auth("auditor", "township", sub) });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get("busy")).statusCode);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    const limited = await get("busy");
    expect(limited.statusCode).toBe(429);
    expect(limited.json().type).toBe("https://aidtrail.dev/problems/too_many_requests");
    expect((await get("quiet")).statusCode).not.toBe(429);
  });

  it("health, readiness and metrics answer without a token", async () => {
    expect((await h.app.inject("/healthz")).statusCode).toBe(200);
    expect((await h.app.inject("/readyz")).json()).toEqual({ status: "ready" });
    const metrics = await h.app.inject("/metrics");
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/readyz",status_code="200"}');
  });

  it("an unknown route is a 404 problem", async () => {
    const res = await h.app.inject("/v1/nothing-here");
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe("https://aidtrail.dev/problems/route_not_found");
  });
});

describe("with the database away", () => {
  it("writes answer 503 problems quickly, readiness 503, no stack trace", async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/aidtrail`;
    const db = createDb(createPool(url));
    const store = new PostgresEventStore({ db, url, registry: domainEventSchemas });
    const secret = randomBytes(32).toString("base64url");
    const app = await buildApp({ db, eventStore: store, vault: createPostgresPiiVault(db, { masterKey: randomBytes(32), indexKey: randomBytes(32) }), auth: { secret } });
    try {
      const authorization = `Bearer ${signHs256({ sub: "o", roles: ["officer"], scope: "village:三铺村" }, secret, 60)}`;
      const started = Date.now();
      const write = await app.inject({ method: "POST", url: "/v1/households", payload: fixtures.household(), headers: { authorization } });
      expect(write.statusCode, write.body).toBe(503);
      expect(write.json()).toMatchObject({ type: "https://aidtrail.dev/problems/database_unavailable", status: 503 });
      expect(write.body).not.toMatch(/ECONNREFUSED|at .*\.ts/);
      const read = await app.inject({ method: "GET", url: "/v1/households/h-001", headers: { authorization } });
      expect(read.statusCode).toBe(503);
      expect((await app.inject("/readyz")).statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await app.close();
      await store.close().catch(() => {});
      await db.destroy().catch(() => {});
    }
  });
});
