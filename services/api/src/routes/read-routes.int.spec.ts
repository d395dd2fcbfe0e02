import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

let h: ApiHarness;
const get = (url: string, role: Parameters<ApiHarness["auth"]>[0] = "auditor") => h.app.inject({ method: "GET", url, headers: h.auth(role) });

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const officer = h.auth("officer");
  const admin = h.auth("admin");
  for (const [url, payload, headers] of [
    ["/v1/households", fixtures.household(), officer],
    ["/v1/programs", fixtures.program(), admin],
    ["/v1/programs/prog-project/allocations", fixtures.allocation(), admin],
    ["/v1/stakes", fixtures.stake(), officer],
    ["/v1/loans", fixtures.loan(), officer],
    ["/v1/disbursements", fixtures.disbursement(), officer],
  ] as const) {
    const res = await h.app.inject({ method: "POST", url, payload, headers });
    expect(res.statusCode, res.body).toBeLessThan(300);
    // Writes answer once projected: the next read sees them.
    expect(res.headers["aidtrail-projected"]).toBe("true");
  }
});
afterAll(async () => {
  await h?.close();
});

describe("read routes, right after the writes", () => {
  it("the household: profile with masked national ids and totals per program", async () => {
    const res = await get("/v1/households/h-001", "inspector");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ householdId: "h-001", villageId: "三铺村", status: "enrolled" });
    expect(body.members[0].nationalIdMasked).toBe("3201**********1234");
    expect(res.body).not.toContain("320102198005011234");
    expect(body.totals).toEqual([expect.objectContaining({ programId: "prog-project", paidFen: 300_000 })]);
  });

  it("the household file, oldest first, and as of its first event", async () => {
    const res = await get("/v1/households/h-001/file");
    expect(res.statusCode, res.body).toBe(200);
    const events = res.json().events as Array<{ type: string; position: string }>;
    expect(events[0]?.type).toBe("HouseholdRegistered");
    expect(events.map((e) => e.type)).toContain("DisbursementRecorded");
    const asOf = await get(`/v1/households/h-001/file?asOf=${events[0]?.position}`);
    expect(asOf.json().events).toHaveLength(1);
    expect((await get("/v1/households/h-001/file?asOf=yesterday")).statusCode).toBe(400);
  });

  it("the program budget in fen", async () => {
    const res = await get("/v1/programs/prog-project/budget", "officer");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ allocatedFen: 100_000_000, disbursedFen: 300_000, remainingFen: 99_700_000 });
  });

  it("the disbursement", async () => {
    const res = await get("/v1/disbursements/d-001");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ disbursementId: "d-001", status: "recorded", amountFen: 300_000 });
  });

  it("the loan schedule and the dividend schedule", async () => {
    const loan = await get("/v1/loans/loan-1/schedule?asOf=2024-06-30");
    expect(loan.statusCode, loan.body).toBe(200);
    expect(loan.json().dividends.length).toBeGreaterThan(0);
    const dividends = await get("/v1/schedules/dividends?householdId=h-001&asOf=2024-06-30");
    expect(dividends.statusCode, dividends.body).toBe(200);
    expect(dividends.json().dividends.length).toBeGreaterThan(0);
  });

  it("unknown ids are 404 problems", async () => {
    for (const url of ["/v1/households/nope", "/v1/programs/nope/budget", "/v1/disbursements/nope", "/v1/loans/nope/schedule"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
    }
  });
});
