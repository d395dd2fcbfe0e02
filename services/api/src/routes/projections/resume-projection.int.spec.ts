import { liveSchema, readCheckpoint } from "@aidtrail/projections";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../../testing/api-harness.js";
import { fixtures } from "../../testing/fixtures.js";

let h: ApiHarness;
const post = (url: string, payload: object | undefined, headers: Record<string, string>) => h.app.inject({ method: "POST", url, ...(payload ? { payload } : {}), headers });
const resume = (name: string, headers: Record<string, string>) => post(`/v1/projections/${name}/resume`, {}, headers);

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  const admin = h.auth("admin");
  const officer = h.auth("officer");
  expect((await post("/v1/programs", fixtures.program("prog-project"), admin)).statusCode).toBe(201);
  expect((await post("/v1/programs/prog-project/allocations", fixtures.allocation("alloc-1"), admin)).statusCode).toBe(201);
  expect((await post("/v1/households", fixtures.household("h-1"), officer)).statusCode).toBe(201);
});
afterAll(async () => h?.close());

/** What the projector does when a read model cannot apply an event: the checkpoint row says stopped, with the event and the reason. */
async function stopAsOnPoison(name: string): Promise<bigint> {
  const schema = liveSchema(name);
  const { checkpoint } = await readCheckpoint(h.database.db, schema);
  await sql`update ${sql.id(schema, "_checkpoint")} set status = 'failed', failed_position = ${checkpoint.position.toString()}, error = 'simulated poison'`.execute(h.database.db);
  return checkpoint.position;
}

describe("POST /v1/projections/{name}/resume", () => {
  it("a stopped read model misses writes; resumed by an admin, the running projector picks it up and the write becomes readable", async () => {
    const stoppedAt = await stopAsOnPoison("disbursements");
    expect((await post("/v1/disbursements", fixtures.disbursement("d-1", "h-1"), h.auth("officer"))).statusCode).toBe(201);
    const get = () => h.app.inject({ method: "GET", url: "/v1/disbursements/d-1", headers: h.auth("auditor") });
    expect((await get()).statusCode).toBe(404);

    const res = await resume("disbursements", h.auth("admin"));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ projection: "disbursements", status: "running", failedPosition: stoppedAt.toString(), error: "simulated poison" });
    // The projector rereads stopped read models every few seconds (the test's timeout bounds the wait).
    while ((await get()).statusCode !== 200) await new Promise((r) => setTimeout(r, 50));
    expect((await get()).json().disbursementId).toBe("d-1");
  }, 60_000);

  it("answers 409 for a read model that runs and 404 for one that does not exist, changing nothing", async () => {
    const before = await readCheckpoint(h.database.db, liveSchema("balances"));
    const running = await resume("balances", h.auth("admin"));
    expect(running.statusCode).toBe(409);
    expect(running.json().type).toBe("https://aidtrail.dev/problems/projection_not_stopped");
    expect((await readCheckpoint(h.database.db, liveSchema("balances"))).status).toBe(before.status);
    for (const name of ["nope", "events", "_checkpoint", "a".repeat(63)]) {
      const res = await resume(name, h.auth("admin"));
      expect(res.statusCode, name).toBe(404);
      expect(res.json().type).toBe("https://aidtrail.dev/problems/projection_not_found");
    }
    expect((await resume("a".repeat(64), h.auth("admin"))).statusCode).toBe(400);
    expect((await post("/v1/projections/balances/resume", { force: true }, h.auth("admin"))).statusCode).toBe(400);
  });

  it("is for admins with a township scope only, and a refused caller resumes nothing", async () => {
    await stopAsOnPoison("approval_queue");
    for (const role of ["officer", "approver", "auditor", "inspector"] as const) {
      expect((await resume("approval_queue", h.auth(role))).statusCode, role).toBe(403);
    }
    expect((await resume("approval_queue", h.auth("admin", "village:三铺村"))).statusCode).toBe(403);
    expect((await h.app.inject({ method: "POST", url: "/v1/projections/approval_queue/resume", payload: {} })).statusCode).toBe(401);
    expect((await readCheckpoint(h.database.db, liveSchema("approval_queue"))).status).toBe("failed");
    expect((await resume("approval_queue", h.auth("admin"))).statusCode).toBe(200);
  });
});
