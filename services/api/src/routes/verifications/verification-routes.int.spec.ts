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
  await post("/v1/programs/prog-project/allocations", fixtures.allocation(), admin);
  for (const [i, village] of ["三铺村", "三铺村", "塔桥村", "塔桥村", "塔桥村"].entries()) {
    await post("/v1/households", fixtures.household(`h-${i}`, village), officer);
    const res = await post("/v1/disbursements", fixtures.disbursement(`d-${i}`, `h-${i}`), officer);
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => h?.close());

const finding = (verificationId: string, outcome: string, extra: object = {}) => ({ verificationId, disbursementId: "d-0", outcome, visitedOn: "2024-04-02", method: "home_visit", note: "", ...extra });

describe("POST /v1/verifications and the payment's verification status", () => {
  it("not_received opens a case GET /v1/disbursements/{id} shows; a received follow-up closes it; a retry gets the first answer", async () => {
    const inspector = h.auth("inspector");
    const opened = await post("/v1/verifications", finding("v-1", "not_received"), inspector);
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ verificationId: "v-1", disbursementId: "d-0", caseOpened: "v-1", caseClosed: null });
    const shown = await h.app.inject({ method: "GET", url: "/v1/disbursements/d-0", headers: h.auth("auditor") });
    expect(shown.json().verification).toEqual({ count: 1, lastOutcome: "not_received", lastVisitedOn: "2024-04-02", lastPosition: opened.json().position, openCase: { caseId: "v-1", openedPosition: expect.any(String) } });

    const followUp = await post("/v1/verifications", finding("v-2", "received", { visitedOn: "2024-04-20" }), inspector);
    expect(followUp.json()).toMatchObject({ caseOpened: null, caseClosed: "v-1" });
    const retry = await post("/v1/verifications", finding("v-2", "received", { visitedOn: "2024-04-20" }), inspector);
    expect(retry.json()).toEqual(followUp.json());
    expect((await h.app.inject({ method: "GET", url: "/v1/disbursements/d-0", headers: inspector })).json().verification).toMatchObject({ count: 2, lastOutcome: "received", openCase: null });
  });

  it("refusals are problems: another body for the same id 409, amount_differs without an amount 400, unknown payment 404, officer 403", async () => {
    const inspector = h.auth("inspector");
    const conflict = await post("/v1/verifications", finding("v-2", "not_received"), inspector);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().type).toMatch(/already_exists$/);
    expect((await post("/v1/verifications", finding("v-3", "amount_differs"), inspector)).statusCode).toBe(400);
    expect((await post("/v1/verifications", { ...finding("v-4", "received"), disbursementId: "nope" }, inspector)).statusCode).toBe(404);
    expect((await post("/v1/verifications", finding("v-5", "received"), h.auth("officer"))).statusCode).toBe(403);
  });
});

describe("GET /v1/verifications/sample", () => {
  const url = (seed: string, perVillage = 2) => `/v1/verifications/sample?seed=${seed}&perVillage=${perVillage}&paidFrom=2024-01-01&paidTo=2024-06-30`;

  it("draws per village, the same sample for the same seed", async () => {
    const a = await h.app.inject({ method: "GET", url: url("2024-H1"), headers: h.auth("auditor") });
    expect(a.statusCode, a.body).toBe(200);
    const body = a.json();
    expect(body.villages.map((v: { villageId: string; population: number; sample: unknown[] }) => [v.villageId, v.population, v.sample.length])).toEqual([
      ["三铺村", 2, 2],
      ["塔桥村", 3, 2],
    ]);
    const again = await h.app.inject({ method: "GET", url: url("2024-H1"), headers: h.auth("inspector") });
    expect(again.json()).toEqual(body);
  });

  it("a village-scoped inspector must name its village and sees only it", async () => {
    const scoped = h.auth("inspector", "village:塔桥村");
    expect((await h.app.inject({ method: "GET", url: url("x"), headers: scoped })).statusCode).toBe(403);
    const own = await h.app.inject({ method: "GET", url: `${url("x", 5)}&villageId=${encodeURIComponent("塔桥村")}`, headers: scoped });
    expect(own.json().villages.map((v: { villageId: string }) => v.villageId)).toEqual(["塔桥村"]);
  });
});
