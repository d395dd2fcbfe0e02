import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
// The API's own test harness: the real app on a fresh migrated database (spec files are not built).
import { type ApiHarness, createApiHarness } from "../../../api/src/testing/api-harness.js";
import { fixtures } from "../../../api/src/testing/fixtures.js";
import { importCommand } from "./import.js";

const HEADER = "disbursementId,householdId,memberId,programId,period,amountFen,paidOn,channel,reference,inputs";
const row = (id: string, household: string, amount = "300000", paidOn = "2024-03-15") => `${id},${household},,prog,once,${amount},${paidOn},one_card,ref-${id},`;

let h: ApiHarness;
let dir: string;
const saved = { url: process.env.AIDTRAIL_URL, secret: process.env.AIDTRAIL_JWT_SECRET };

async function recorded(): Promise<{ events: number; payments: number }> {
  const { rows } = await sql<{ events: string; payments: string }>`
    select count(*) as events, count(*) filter (where type = 'DisbursementRecorded') as payments from events`.execute(h.database.db);
  return { events: Number(rows[0]?.events), payments: Number(rows[0]?.payments) };
}

/** `aidtrail import disbursements FILE` as main.ts runs it; what it wrote to stderr and its exit code. */
async function importFile(lines: string[]): Promise<{ stderr: string[]; exitCode: number }> {
  const file = path.join(dir, `payments-${Date.now()}.csv`);
  await writeFile(file, `${lines.join("\n")}\n`);
  const stderr: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(...String(chunk).split("\n").filter(Boolean).map((l) => l.replace(`${file}: `, "")));
    return true;
  });
  process.exitCode = undefined;
  try {
    await importCommand(["disbursements", file]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stderr, exitCode };
}

beforeAll(async () => {
  h = await createApiHarness(inject("pgAdminUrl"), { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const address = h.app.server.address();
  if (address === null || typeof address === "string") throw new Error("the API is not listening on a port");
  process.env.AIDTRAIL_URL = `http://127.0.0.1:${address.port}`;
  process.env.AIDTRAIL_JWT_SECRET = h.jwtSecret;
  dir = await mkdtemp(path.join(tmpdir(), "aidtrail-import-"));
  const admin = h.auth("admin");
  const officer = h.auth("officer");
  for (const [url, payload, headers] of [
    ["/v1/programs", fixtures.program("prog"), admin],
    ["/v1/programs/prog/allocations", fixtures.allocation(), admin],
    ...["h-1", "h-2", "h-3", "h-4", "h-5"].map((id) => ["/v1/households", fixtures.household(id), officer] as const),
  ] as const) {
    const res = await h.app.inject({ method: "POST", url, payload, headers });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterEach(() => {
  process.exitCode = undefined;
});
afterAll(async () => {
  process.env.AIDTRAIL_URL = saved.url;
  process.env.AIDTRAIL_JWT_SECRET = saved.secret;
  if (saved.url === undefined) delete process.env.AIDTRAIL_URL;
  if (saved.secret === undefined) delete process.env.AIDTRAIL_JWT_SECRET;
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("aidtrail import disbursements, against the API on real PostgreSQL", () => {
  it("a file with 3 bad rows: 3 errors naming line, column and what is wrong, exit code 1, nothing written", async () => {
    const before = await recorded();
    const { stderr, exitCode } = await importFile([
      HEADER,
      row("d-1", "h-1"),
      row("d-2", "h-2", "3000.50"),
      row("d-3", "h 3"),
      row("d-4", "h-4", "300000", "2024-02-30"),
      row("d-5", "h-5"),
    ]);
    expect(exitCode).toBe(1);
    expect(stderr).toEqual([
      'line 3, column amountFen: amountFen must be an integer (fen), got "3000.50"',
      expect.stringMatching(/^line 4, column householdId: .*whitespace/),
      expect.stringMatching(/^line 5, column paidOn: .*date/),
      "3 error(s) in 5 rows: nothing imported",
    ]);
    // The two good rows were not sent either: all or nothing per file.
    expect(await recorded()).toEqual(before);
  });

  it("control: the same file with the rows fixed records all 5, and a re-run adds no event", async () => {
    const file = [HEADER, ...["1", "2", "3", "4", "5"].map((n) => row(`d-${n}`, `h-${n}`))];
    const before = await recorded();
    const first = await importFile(file);
    expect(first.exitCode, first.stderr.join("\n")).toBe(0);
    const after = await recorded();
    expect(after.payments - before.payments).toBe(5);
    const again = await importFile(file);
    expect(again.exitCode, again.stderr.join("\n")).toBe(0);
    expect(await recorded()).toEqual(after);
  });

  it("--concurrency that is not a positive integer is a usage error before anything is read or sent", async () => {
    const before = await recorded();
    for (const bad of ["abc", "0", "1.5", "-4"]) {
      await expect(importCommand(["disbursements", path.join(dir, "never-read.csv"), `--concurrency=${bad}`])).rejects.toThrow(/positive integer/);
    }
    expect(await recorded()).toEqual(before);
  });
});
