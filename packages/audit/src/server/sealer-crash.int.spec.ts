import { spawn } from "node:child_process";
import { PostgresEventStore } from "@aidtrail/event-store";
import { Lease } from "@aidtrail/projections";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { appendEvents, readToEnd, sealToEnd } from "./audit-log.spec-helpers.js";
import { readLeafPositions, readSealedSize } from "./checkpoint-rows.js";
import { CRASH_LEASE, CRASH_OWNER } from "./sealer-crash.spec-helpers.js";
import { createSealerProjector } from "./sealer-projector.js";
import { verifyLog } from "./verify-log.js";

let database: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

it("given a sealer process killed (SIGKILL) while its leaf worker hashes, when another seals on, then every event is sealed once with the right leaves", async () => {
  await appendEvents(store, 6000);
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./sealer-crash.spec-helpers.ts", import.meta.url).pathname, database.url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Killed once it has committed two batches: the third is being read, hashed or written.
  await new Promise<void>((resolve, reject) => {
    let batches = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      batches += chunk.toString().split("\n").filter((l) => l === "batch").length;
      if (batches >= 2) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the sealer process exited (${code}) before being killed`)));
  });
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
  const sealedBefore = await readSealedSize(database.db);
  expect(sealedBefore).toBeGreaterThan(0);
  expect(sealedBefore).toBeLessThan(6000);

  const lease = new Lease(CRASH_LEASE, CRASH_OWNER, 60_000);
  expect(await lease.tryAcquire(database.db)).toBe(true);
  const { projector, settle } = createSealerProjector({ db: database.db, store, lease, batchSize: 300 });
  await sealToEnd(database, projector, settle);
  const events = await readToEnd(store, 10_000);
  expect(await readSealedSize(database.db)).toBe(events.length);
  const sealed = await readLeafPositions(database.db, 0, events.length);
  expect([...sealed.values()].map(String)).toEqual(events.map((e) => e.position.toString()));
  expect(await verifyLog({ db: database.db, store, trustedKeys: [] })).toMatchObject({ ok: true, events: events.length });
}, 120_000);
