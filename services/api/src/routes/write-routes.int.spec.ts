import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"));
});
afterAll(async () => {
  await h?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string>) => h.app.inject({ method: "POST", url, payload: payload as object, headers });

describe("write routes", () => {
  it("given nothing, when an officer registers a household, then 201 with its position, and a retry gets the same answer", async () => {
    const officer = h.auth("officer");
    const first = await post("/v1/households", fixtures.household(), officer);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ householdId: "h-001", villageId: "三铺村", status: "enrolled", position: expect.stringMatching(/^\d+$/) });
    const before = await h.countEvents();
    const retry = await post("/v1/households", fixtures.household(), officer);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await h.countEvents()).toBe(before);
  });

  it("the same household id with another body is a 409 problem and writes nothing", async () => {
    const before = await h.countEvents();
    const res = await post("/v1/households", { ...fixtures.household(), povertyCause: "disaster" }, h.auth("officer"));
    expect(res.statusCode).toBe(409);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: "https://aidtrail.dev/problems/already_exists", status: 409, title: "Already exists", instance: expect.any(String) });
    expect(await h.countEvents()).toBe(before);
  });

  it("a program, its budget and a payment; retries answer the same, another body 409", async () => {
    const admin = h.auth("admin");
    const program = await post("/v1/programs", fixtures.program(), admin);
    expect(program.statusCode, program.body).toBe(201);
    expect((await post("/v1/programs", fixtures.program(), admin)).json()).toEqual(program.json());
    expect((await post("/v1/programs", { ...fixtures.program(), name: "other" }, admin)).statusCode).toBe(409);

    const allocation = await post("/v1/programs/prog-project/allocations", fixtures.allocation(), admin);
    expect(allocation.statusCode, allocation.body).toBe(201);
    expect((await post("/v1/programs/prog-project/allocations", fixtures.allocation(), admin)).json()).toEqual(allocation.json());
    const conflict = await post("/v1/programs/prog-project/allocations", fixtures.allocation("alloc-1", 5), admin);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().type).toBe("https://aidtrail.dev/problems/allocation_conflict");

    const officer = h.auth("officer");
    const paid = await post("/v1/disbursements", fixtures.disbursement(), officer);
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ disbursementId: "d-001", status: "recorded", amountFen: 300_000 });
    expect((await post("/v1/disbursements", fixtures.disbursement(), officer)).json()).toEqual(paid.json());
    const other = await post("/v1/disbursements", { ...fixtures.disbursement(), reference: "changed" }, officer);
    expect(other.statusCode).toBe(409);
    expect(other.json().type).toBe("https://aidtrail.dev/problems/idempotency_conflict");
  });

  it("a refused payment is a problem with the refusal's code and position, the same on every retry", async () => {
    const officer = h.auth("officer");
    const over = fixtures.disbursement("d-over", "h-001", "prog-project", 700_000);
    const first = await post("/v1/disbursements", over, officer);
    expect(first.statusCode).toBe(422);
    expect(first.json()).toMatchObject({ type: "https://aidtrail.dev/problems/cap_exceeded", disbursementId: "d-over", position: expect.any(String) });
    const retry = await post("/v1/disbursements", over, officer);
    expect(retry.statusCode).toBe(422);
    expect(retry.json().position).toBe(first.json().position);
  });

  it("approval by another approver, retried; reversal by an officer, retried", async () => {
    await post("/v1/households", fixtures.household("h-002"), h.auth("officer"));
    await post("/v1/programs", fixtures.program("prog-big", 100_000), h.auth("admin"));
    await post("/v1/programs/prog-big/allocations", fixtures.allocation(), h.auth("admin"));
    const pending = await post("/v1/disbursements", fixtures.disbursement("d-big", "h-002", "prog-big", 200_000), h.auth("officer"));
    expect(pending.json()).toMatchObject({ status: "pending_approval" });
    const self = await post("/v1/disbursements/d-big/approve", {}, h.auth(["officer", "approver"], "township", "officer-01"));
    expect(self.statusCode).toBe(403);
    expect(self.json().type).toBe("https://aidtrail.dev/problems/self_approval");
    const approved = await post("/v1/disbursements/d-big/approve", {}, h.auth("approver"));
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await post("/v1/disbursements/d-big/approve", {}, h.auth("approver"))).json()).toEqual(approved.json());
    const reversed = await post("/v1/disbursements/d-big/reversal", { reason: "wrong household" }, h.auth("officer"));
    expect(reversed.statusCode, reversed.body).toBe(201);
    expect((await post("/v1/disbursements/d-big/reversal", { reason: "wrong household" }, h.auth("officer"))).json()).toEqual(reversed.json());
    expect((await post("/v1/disbursements/d-big/reversal", { reason: "another" }, h.auth("officer"))).statusCode).toBe(409);
  });

  it("validation errors name each field", async () => {
    const res = await post("/v1/households", { ...fixtures.household("h-bad"), registeredOn: "2024-02-30", members: [] }, h.auth("officer"));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.type).toBe("https://aidtrail.dev/problems/validation_failed");
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body/members", "body/registeredOn"]);
  });

  it("no token is 401, a wrong role 403, both problems", async () => {
    const none = await post("/v1/households", fixtures.household("h-x"), {});
    expect(none.statusCode).toBe(401);
    expect(none.json().type).toBe("https://aidtrail.dev/problems/unauthorized");
    const forged = await post("/v1/households", fixtures.household("h-x"), { authorization: "Bearer abc.def.ghi" });
    expect(forged.statusCode).toBe(401);
    const wrong = await post("/v1/households", fixtures.household("h-x"), h.auth("auditor"));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().type).toBe("https://aidtrail.dev/problems/forbidden");
  });

  it("stakes and loans are idempotent by id", async () => {
    const officer = h.auth("officer");
    const stake = await post("/v1/stakes", fixtures.stake(), officer);
    expect(stake.statusCode, stake.body).toBe(201);
    expect((await post("/v1/stakes", fixtures.stake(), officer)).json()).toEqual(stake.json());
    expect((await post("/v1/stakes", { ...fixtures.stake(), years: 5 }, officer)).statusCode).toBe(409);
    const loan = await post("/v1/loans", fixtures.loan(), officer);
    expect(loan.statusCode, loan.body).toBe(201);
    expect((await post("/v1/loans", fixtures.loan(), officer)).json()).toEqual(loan.json());
    expect((await post("/v1/loans", { ...fixtures.loan(), termMonths: 12 }, officer)).statusCode).toBe(409);
  });

  it("OpenAPI is served at /docs/json, generated from the zod schemas", async () => {
    const res = await h.app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/households", "/v1/disbursements", "/v1/programs/{id}/allocations"]));
    expect(doc.paths["/v1/households"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["householdId", "villageId", "members"]),
    );
  });
});
