import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "@aidtrail/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

/**
 * `aidtrail start` as a user runs it: embedded PostgreSQL in a fresh data folder, a token from
 * `aidtrail token`, a household, a program and its budget, a payment, the household file; then
 * SIGTERM and a clean exit, and a second start that still has the data.
 */
const cli = path.resolve(import.meta.dirname, "../../services/cli/bin/aidtrail.js");
let dataDir: string;
let env: NodeJS.ProcessEnv;
let base: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-e2e-"));
  // Embedded PostgreSQL runs as an unprivileged user when we are root: it must reach the folder.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  env = {
    ...process.env,
    DATABASE_URL: "",
    AIDTRAIL_DATA_DIR: dataDir,
    AIDTRAIL_PORT: String(port),
    AIDTRAIL_PG_PORT: String(await freePort()),
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Starts the service and resolves once it logs that it listens (with its docs URL). */
function start(): Promise<{ process: ChildProcess; lines: string[] }> {
  const proc = spawn(process.execPath, [cli, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 120 s:\n${lines.join("\n")}`)), 120_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        lines.push(line);
        if (line.includes("aidtrail is listening")) {
          clearTimeout(timer);
          resolve({ process: proc, lines });
        }
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`exited with ${code} before listening:\n${lines.join("\n")}`)));
  });
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.once("exit", (code) => resolve(code));
    proc.kill("SIGTERM");
  });
}

async function token(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, "token", ...args], { env });
  return stdout.trim();
}

async function call(method: string, url: string, bearer: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

it("start, token, household, program, payment, household file, SIGTERM, restart keeps the data", async () => {
  const first = await start();
  child = first.process;
  const listening = first.lines.find((l) => l.includes("aidtrail is listening")) ?? "";
  expect(listening).toContain(`${base}/docs`);
  expect(listening).toContain("aidtrail token");
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await fetch(`${base}/docs/json`)).status).toBe(200);

  const officer = await token("--role", "officer", "--sub", "officer-01", "--scope", "village:三铺村", "--ttl", "1h");
  const admin = await token("--role", "admin", "--sub", "admin-01");
  const auditor = await token("--role", "auditor", "--sub", "auditor-01");

  const household = {
    householdId: "sp-0001",
    villageId: "三铺村",
    headMemberId: "sp-0001-1",
    members: [{ memberId: "sp-0001-1", name: "张三", nationalId: "320102198005011234", birthDate: "1980-05-01", relation: "head", schoolLevel: null, health: "healthy" }],
    povertyCause: "illness",
    registeredOn: "2023-01-10",
  };
  expect((await call("POST", "/v1/households", officer, household)).status).toBe(201);
  const program = {
    programId: "project-2024",
    name: "到户项目资金",
    kind: "household_project",
    fundingSource: "central",
    rule: { kind: "household_project", version: 1, approvalThresholdFen: 500_000, postExitMonths: 0, perMember: false, granularity: "one_off", capPerHouseholdFen: 600_000 },
  };
  expect((await call("POST", "/v1/programs", admin, program)).status).toBe(201);
  expect((await call("POST", "/v1/programs/project-2024/allocations", admin, { allocationId: "a-1", amountFen: 10_000_000, period: "2024" })).status).toBe(201);
  const paid = await call("POST", "/v1/disbursements", officer, {
    disbursementId: "pay-0001",
    householdId: "sp-0001",
    programId: "project-2024",
    period: "once",
    amountFen: 300_000,
    paidOn: "2024-03-15",
    channel: "one_card",
    reference: "bank-ref-1",
  });
  expect(paid.status, JSON.stringify(paid.json)).toBe(201);
  expect(paid.json).toMatchObject({ disbursementId: "pay-0001", status: "recorded" });
  expect(paid.headers.get("aidtrail-projected")).toBe("true");

  const file = await call("GET", "/v1/households/sp-0001/file", auditor);
  expect(file.status).toBe(200);
  expect(file.json.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["HouseholdRegistered", "DisbursementRecorded"]));
  expect((await call("GET", "/v1/programs/project-2024/budget", auditor)).json).toMatchObject({ disbursedFen: 300_000, remainingFen: 9_700_000 });
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain("http_request_duration_seconds_bucket");
  expect(metrics).toContain("aidtrail_events_appended_total");
  expect(metrics).toContain("aidtrail_projection_lag_positions");

  expect(await stop(first.process)).toBe(0);

  const second = await start();
  child = second.process;
  const again = await call("GET", "/v1/households/sp-0001", auditor);
  expect(again.status).toBe(200);
  expect(again.json.totals).toEqual([expect.objectContaining({ programId: "project-2024", paidFen: 300_000 })]);
  expect(await stop(second.process)).toBe(0);
}, 300_000);
