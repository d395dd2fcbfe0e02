import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readSealedSize, receiptForDisbursement, startAuditSealer } from "@aidtrail/audit/server";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const ORIGIN = "aidtrail.test/cli";
let database: TestDatabase;
let store: PostgresEventStore;
let dataDir: string;
let verifierKey: string;

/** Runs the real `aidtrail` command against the test database; resolves with its exit code and output. */
async function aidtrail(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "services/cli/src/main.ts"), ...args], {
      env: { ...process.env, DATABASE_URL: database.url, AIDTRAIL_DATA_DIR: dataDir, AIDTRAIL_AUDIT_ORIGIN: ORIGIN, LOG_LEVEL: "error" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
  dataDir = await mkdtemp(path.join(tmpdir(), "aidtrail-cli-"));
  for (let i = 0; i < 300; i++) {
    await store.append(i % 2 ? `household-h${i}` : `disbursement-d${i}`, [
      { type: i % 2 ? "HouseholdNoted" : "DisbursementRecorded", data: { disbursementId: `d${i}`, amountFen: 100 + i } },
    ]);
  }
  const sealer = await startAuditSealer({
    db: database.db,
    store,
    config: { origin: ORIGIN, signerKeys: [], verifierKeys: [], checkpointIntervalMs: 60_000, checkpointEveryLeaves: 1_000_000, dataDir },
  });
  // Two checkpoints, so verify-consistency has a pair to check.
  while ((await readSealedSize(database.db)) < 300) await new Promise((r) => setTimeout(r, 50));
  await sealer.signNow();
  for (let i = 300; i < 310; i++) await store.append(`household-h${i}`, [{ type: "HouseholdNoted", data: { i } }]);
  while ((await readSealedSize(database.db)) < 310) await new Promise((r) => setTimeout(r, 50));
  // Stopping signs what was sealed last.
  await sealer.stop();
  verifierKey = sealer.keys.verifierKeys[0]!;
}, 120_000);
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe("aidtrail verify, verify-consistency, verify-receipt", () => {
  it("verify-receipt checks a receipt file offline, and refuses it under another key", async () => {
    const file = path.join(dataDir, "receipt.json");
    await writeFile(file, JSON.stringify(await receiptForDisbursement(database.db, store, "d42")));
    const ok = await aidtrail("verify-receipt", file, "--key", verifierKey);
    expect(ok.stdout).toMatch(/^VALID: DisbursementRecorded at position \d+ \(stream disbursement-d42\)/);
    expect(ok.code).toBe(0);
    const bad = await aidtrail("verify-receipt", file, "--key", "other.log+6c3a8ac5+AX1sV5GZyV6Xvm0zF8t7mEUzPVs5PYoVQ2hXl1dDCD4V");
    expect(bad.code).toBe(1);
  });

  it("verify-receipt given the server's problem answer instead of a receipt says so (exit 2), not 'malformed'", async () => {
    const file = path.join(dataDir, "not-a-receipt.json");
    const answer = { type: "https://aidtrail.dev/problems/not_covered", title: "Not sealed yet", status: 409, detail: "retry in a few seconds" };
    await writeFile(file, JSON.stringify(answer));
    const result = await aidtrail("verify-receipt", file, "--key", verifierKey);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds no receipt but the server's answer 409 Not sealed yet: retry in a few seconds");
  });

  it("verify-consistency checks every consecutive pair of checkpoints", async () => {
    const result = await aidtrail("verify-consistency");
    expect(result.stdout).toContain("OK: 1 consecutive checkpoint pairs are consistent (up to size 310)");
    expect(result.code).toBe(0);
  });

  it("verify passes on an untouched log, then names the position of a direct UPDATE and exits 1", async () => {
    const clean = await aidtrail("verify");
    expect(clean.stdout).toContain("OK: 310 events replayed, 310 sealed leaves and 2 signed checkpoints match");
    expect(clean.code).toBe(0);

    const { rows } = await sql<{ position: string }>`select position from rm_audit.audit_leaves where leaf_index = 123`.execute(database.db);
    const position = rows[0]!.position;
    await database.db.transaction().execute(async (trx) => {
      await sql`alter table events disable trigger user`.execute(trx);
      await sql`update events set data = '{"amountFen": 999999}' where position = ${position}`.execute(trx);
      await sql`alter table events enable trigger user`.execute(trx);
    });
    const tampered = await aidtrail("verify");
    expect(tampered.stdout).toContain(`MISMATCH at position ${position} (leaf 123)`);
    expect(tampered.code).toBe(1);
  });
});
