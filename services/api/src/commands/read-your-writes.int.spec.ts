import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const res = await h.app.inject({ method: "POST", url: "/v1/programs", payload: fixtures.program(), headers: h.auth("admin") });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

describe("read-your-writes when one append carries several requests' events", () => {
  it("every one of 8 concurrent allocations to one program answers projected, and the budget then shows all of them", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.app.inject({
          method: "POST",
          url: "/v1/programs/prog-project/allocations",
          payload: fixtures.allocation(`ryw-${i}`, 1_000 + i),
          headers: h.auth("admin"),
        }),
      ),
    );
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers["aidtrail-projected"]).toBe("true");
    }
    // The writers queued behind the first were appended together: one transaction holds several.
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from events where type = 'AllocationAdded' group by transaction_id order by 1 desc limit 1`.execute(h.database.db);
    expect(Number(rows[0]?.n)).toBeGreaterThan(1);
    const budget = await h.app.inject({ method: "GET", url: "/v1/programs/prog-project/budget", headers: h.auth("admin") });
    expect(budget.json()).toMatchObject({ allocatedFen: 8 * 1_000 + 28 });
  });
});

describe("Prefer: projection=none", () => {
  it("answers once the events are stored, without the projection wait, and says so", async () => {
    for (const [i, prefer] of ["projection=none", "return=minimal, Projection=None"].entries()) {
      const res = await h.app.inject({
        method: "POST",
        url: "/v1/programs/prog-project/allocations",
        payload: fixtures.allocation(`nowait-${i}`, 500),
        headers: { ...h.auth("admin"), prefer },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers["preference-applied"]).toBe("projection=none");
      expect(res.headers["aidtrail-projected"]).toBeUndefined();
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from events where type = 'AllocationAdded' and data->>'allocationId' = ${`nowait-${i}`}`.execute(h.database.db);
      expect(Number(rows[0]?.n)).toBe(1);
    }
  });

  it("any other preference still waits for the read models", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/programs/prog-project/allocations",
      payload: fixtures.allocation("wait-anyway", 500),
      headers: { ...h.auth("admin"), prefer: "projection=all" },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers["aidtrail-projected"]).toBe("true");
    expect(res.headers["preference-applied"]).toBeUndefined();
  });
});

describe("payments stored in one multi-stream append", () => {
  it("8 concurrent payments: each is one transaction of its 4 events, answered projected, readable at once, and a retry gets the same answer", async () => {
    const program = await h.app.inject({ method: "POST", url: "/v1/programs", payload: fixtures.program("prog-ryw"), headers: h.auth("admin") });
    expect(program.statusCode, program.body).toBe(201);
    const allocation = await h.app.inject({ method: "POST", url: "/v1/programs/prog-ryw/allocations", payload: fixtures.allocation("ryw-pay"), headers: h.auth("admin") });
    expect(allocation.statusCode, allocation.body).toBe(201);
    const ids = Array.from({ length: 8 }, (_, i) => i);
    for (const i of ids) {
      const res = await h.app.inject({ method: "POST", url: "/v1/households", payload: fixtures.household(`h-ryw-${i}`), headers: h.auth("officer") });
      expect(res.statusCode, res.body).toBe(201);
    }
    const pay = (i: number) =>
      h.app.inject({ method: "POST", url: "/v1/disbursements", payload: fixtures.disbursement(`d-ryw-${i}`, `h-ryw-${i}`, "prog-ryw"), headers: h.auth("officer") });
    const answers = await Promise.all(ids.map(pay));
    for (const [i, res] of answers.entries()) {
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers["aidtrail-projected"]).toBe("true");
      const read = await h.app.inject({ method: "GET", url: `/v1/disbursements/d-ryw-${i}`, headers: h.auth("officer") });
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json()).toMatchObject({ disbursementId: `d-ryw-${i}`, status: "recorded" });
      const { rows } = await sql<{ events: string; transactions: string }>`
        select count(*) as events, count(distinct transaction_id) as transactions from events
        where coalesce(data->>'disbursementId', data->'request'->>'disbursementId') = ${`d-ryw-${i}`}`.execute(h.database.db);
      expect(rows[0]).toEqual({ events: "4", transactions: "1" });
      const retry = await pay(i);
      expect(retry.statusCode, retry.body).toBe(201);
      expect(retry.json()).toEqual(res.json());
    }
  });
});
