import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, expect, inject, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "../../services/cli/bin/aidtrail.js");
let database: TestDatabase;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeEach(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  dataDir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-takeover-"));
});

afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

/** `aidtrail <command>`, resolved once it logs `ready` (a standby gets there too, without the lease). */
async function startProcess(command: string, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, command], {
    env: { ...process.env, DATABASE_URL: database.url, AIDTRAIL_DATA_DIR: dataDir, AIDTRAIL_PORT: "0", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`aidtrail ${command} exited with ${code} before it was ready:\n${output}`)));
  });
  return child;
}

interface LeaseRow {
  name: string;
  owner: string;
  expiresAt: Date;
}

async function readLeases(): Promise<LeaseRow[]> {
  const { rows } = await sql<{ name: string; owner: string; expires_at: Date }>`
    select name, owner, expires_at from projector_leases order by name`.execute(database.db);
  return rows.map((r) => ({ name: r.name, owner: r.owner, expiresAt: r.expires_at }));
}

/** The pid in a lease's owner (`<pid>-<uuid>`). */
const pidOf = (row: LeaseRow) => Number(row.owner.split("-")[0]);

/** The leases once every one of `names` is held by `pid` (polled; the test's own timeout bounds it). */
async function heldBy(pid: number | undefined, names: readonly string[]): Promise<LeaseRow[]> {
  for (;;) {
    const rows = (await readLeases()).filter((r) => names.includes(r.name));
    if (rows.length === names.length && rows.every((r) => pidOf(r) === pid)) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cases = [
  { command: "projector", ready: "projector running", leases: ["projector"] },
  // The API with its inline projector and the audit sealer: both leases move.
  { command: "start", ready: "aidtrail is listening", leases: ["audit-sealer", "projector"] },
] as const;

for (const { command, ready, leases } of cases) {
  it(`aidtrail ${command} stopped with SIGTERM releases its leases (${leases.join(", ")}): the standby process takes them over before they would have expired`, async () => {
    const first = await startProcess(command, ready);
    await heldBy(first.pid, leases);
    const second = await startProcess(command, ready);
    // The standby runs but does not take a live lease.
    const before = await heldBy(first.pid, leases);

    first.kill("SIGTERM");
    expect(await new Promise<number | null>((resolve) => first.once("exit", (code) => resolve(code)))).toBe(0);
    await heldBy(second.pid, leases);
    // Taken over while each first lease, had it not been released, still had time to run (at least
    // two thirds of its TTL, as renewed): by release, not by expiry, which a SIGKILL still waits for.
    for (const lease of before) {
      const { rows } = await sql<{ before_expiry: boolean }>`select now() < ${lease.expiresAt}::timestamptz as before_expiry`.execute(database.db);
      expect(rows[0]?.before_expiry, lease.name).toBe(true);
    }

    second.kill("SIGTERM");
    expect(await new Promise<number | null>((resolve) => second.once("exit", (code) => resolve(code)))).toBe(0);
    // The last one out leaves no lease behind either.
    expect((await readLeases()).filter((r) => leases.includes(r.name as never))).toEqual([]);
  }, 120_000);
}
