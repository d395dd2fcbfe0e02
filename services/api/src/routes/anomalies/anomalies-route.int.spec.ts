import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../../testing/api-harness.js";
import { fixtures } from "../../testing/fixtures.js";

let h: ApiHarness;
const post = (url: string, payload: object, headers: Record<string, string>) => h.app.inject({ method: "POST", url, payload, headers });

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const admin = h.auth("admin");
  const officer = h.auth("officer");
  await post("/v1/programs", fixtures.program("prog-project"), admin);
  await post("/v1/programs/prog-project/allocations", fixtures.allocation("alloc-1", 400_000), admin);
  await post("/v1/households", fixtures.household("h-1", "三铺村"), officer);
  await post("/v1/households", fixtures.household("h-2", "塔桥村"), officer);
  expect((await post("/v1/disbursements", fixtures.disbursement("d-1", "h-1"), officer)).statusCode).toBe(201);
  // The budget has 100,000 fen left: this one is refused, and the attempt is an anomaly.
  expect((await post("/v1/disbursements", fixtures.disbursement("d-2", "h-2"), officer)).statusCode).toBe(409);
  await post("/v1/verifications", { verificationId: "v-1", disbursementId: "d-1", outcome: "amount_differs", observedAmountFen: 250_000, visitedOn: "2024-04-01", method: "home_visit" }, h.auth("inspector"));
});
afterAll(async () => h?.close());

describe("GET /v1/anomalies", () => {
  it("lists the budget overrun attempt and the disputed payment with the positions behind them", async () => {
    const res = await h.app.inject({ method: "GET", url: "/v1/anomalies?asOf=2024-06-30", headers: h.auth("auditor") });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.unverifiedAfterDays).toBe(180);
    expect(body.anomalies.map((a: { rule: string; disbursementId: string }) => [a.rule, a.disbursementId])).toEqual([
      ["budget_overrun_attempt", "d-2"],
      ["payment_disputed", "d-1"],
    ]);
    for (const a of body.anomalies) expect(a.positions.length).toBeGreaterThanOrEqual(2);
  });

  it("N is configurable per request; a village-scoped inspector sees its village only", async () => {
    const res = await h.app.inject({ method: "GET", url: "/v1/anomalies?asOf=2024-06-30&unverifiedAfterDays=30&rule=payment_unverified", headers: h.auth("inspector") });
    expect(res.json().anomalies).toEqual([]); // d-1 was visited
    const scoped = await h.app.inject({ method: "GET", url: `/v1/anomalies?asOf=2024-06-30&villageId=${encodeURIComponent("塔桥村")}`, headers: h.auth("inspector", "village:塔桥村") });
    expect(scoped.json().anomalies.map((a: { rule: string }) => a.rule)).toEqual(["budget_overrun_attempt"]);
    expect((await h.app.inject({ method: "GET", url: "/v1/anomalies", headers: h.auth("officer") })).statusCode).toBe(403);
  });
});
