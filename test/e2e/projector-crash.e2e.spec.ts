import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createCommandHandlers, createPostgresPiiVault } from "@aidtrail/commands";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { allProjections, liveSchema, projectionChecksum, readCheckpoint, rebuildProjections, rebuildSchema } from "@aidtrail/projections";
import { createTestDatabase, recordTownship, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "../../services/cli/bin/aidtrail.js");
let database: TestDatabase;
let store: PostgresEventStore;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-crash-"));
  const keys = { masterKey: Buffer.alloc(32, 7), indexKey: Buffer.alloc(32, 9) };
  const handlers = createCommandHandlers({ store, vault: createPostgresPiiVault(database.db, keys) });
  const report = await recordTownship(handlers, 7);
  expect(report.refused).toEqual([]);
}, 600_000);

afterAll(async () => {
  await store?.close();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function startProjectorProcess(): ChildProcess {
  return spawn(process.execPath, [cli, "projector"], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      AIDTRAIL_DATA_DIR: dataDir,
      AIDTRAIL_PROJECTOR_BATCH_SIZE: "500",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function applied(): Promise<bigint> {
  try {
    return (await readCheckpoint(database.db, liveSchema(allProjections[0]!.name))).applied;
  } catch {
    return 0n;
  }
}

async function totalEvents(): Promise<bigint> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(database.db);
  return BigInt(rows[0]!.n);
}

it("a projector killed with SIGKILL mid-batch and restarted ends with every checksum equal to a clean rebuild", async () => {
  const total = await totalEvents();
  let kills = 0;
  // Kill it several times while it is applying, at varying moments inside batches.
  for (let round = 0; round < 3; round++) {
    const child = startProjectorProcess();
    const before = await applied();
    const deadline = Date.now() + 60_000;
    while ((await applied()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 37 * (round + 1)));
    if ((await applied()) < total) {
      child.kill("SIGKILL");
      kills++;
    }
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
    if (child.exitCode === 0) break;
  }
  expect(kills).toBeGreaterThan(0);

  // Restart and let it finish.
  const child = startProjectorProcess();
  const deadline = Date.now() + 180_000;
  for (;;) {
    const states = await Promise.all(allProjections.map((p) => readCheckpoint(database.db, liveSchema(p.name)).catch(() => undefined)));
    if (states.every((s) => s && s.status === "running" && s.applied === total)) break;
    if (Date.now() > deadline) throw new Error("projector did not catch up after the crashes");
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  await new Promise<void>((resolve) => child.once("exit", () => resolve()));

  await rebuildProjections({ db: database.db, store, projections: allProjections, swap: false });
  for (const p of allProjections) {
    const live = await projectionChecksum(database.db, liveSchema(p.name), p);
    const clean = await projectionChecksum(database.db, rebuildSchema(p.name), p);
    expect(live, p.name).toBe(clean);
  }
}, 600_000);
