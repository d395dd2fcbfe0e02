import { allProjections } from "@aidtrail/projections";
import { type RunningProjector, startProjector } from "@aidtrail/projector";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiHarness, createApiHarness } from "../testing/api-harness.js";
import { fixtures } from "../testing/fixtures.js";

let h: ApiHarness;
let standby: RunningProjector;

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { withProjector: true });
  // Answered projected: the harness's projector holds the lease before the standby starts.
  const res = await h.app.inject({ method: "POST", url: "/v1/programs", payload: fixtures.program(), headers: h.auth("admin") });
  expect(res.headers["aidtrail-projected"]).toBe("true");
  standby = await startProjector({ db: h.database.db, store: h.store, projections: allProjections, leaseTtlMs: 5_000 });
});
afterAll(async () => {
  await standby?.stop();
  await h?.close();
});

async function lastStored() {
  const { rows } = await sql<{ transaction_id: string; position: string }>`
    select transaction_id::text, position from events order by transaction_id desc, position desc limit 1`.execute(h.database.db);
  return { transactionId: BigInt(rows[0]!.transaction_id), position: BigInt(rows[0]!.position) };
}

describe("read-your-writes in a process without the projector lease", () => {
  it("learns from the stored checkpoints when another process has projected a write, and not before", async () => {
    const writes = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        h.app.inject({
          method: "POST",
          url: "/v1/households",
          payload: fixtures.household(`h-standby-${i}`),
          headers: { ...h.auth("officer"), prefer: "projection=none" },
        }),
      ),
    );
    for (const res of writes) expect(res.statusCode, res.body).toBe(201);
    const stored = await lastStored();
    // Several requests wait at once on one poller; each is answered once the lease holder has applied the write.
    expect(await Promise.all([standby.waitFor(stored, 5_000), standby.waitFor(stored, 5_000)])).toEqual([true, true]);
    for (let i = 0; i < 4; i++) {
      const read = await h.app.inject({ method: "GET", url: `/v1/households/h-standby-${i}`, headers: h.auth("officer") });
      expect(read.statusCode, read.body).toBe(200);
    }
    // A point nobody has projected is never reported projected.
    expect(await standby.waitFor({ transactionId: stored.transactionId + 1_000_000n, position: 0n }, 200)).toBe(false);
  });
});
