/**
 * `aidtrail start` as a child process for the benches that measure the running service (http,
 * import): a fresh database on the bench's PostgreSQL, a temp data folder, a free port, no rate
 * limit, warnings only; ready once `/readyz` answers 200.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type TestDatabase, freePort } from "@aidtrail/testing";
import type { BenchContext } from "./lib.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLI = path.resolve(here, "../../services/cli/bin/aidtrail.js");

export interface BenchService {
  db: TestDatabase;
  base: string;
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  dataDir: string;
  /** The last 200 lines the service printed, for failure messages. */
  output: string[];
}

export interface BenchServiceOptions {
  /** Names the temp data folder. */
  name: string;
  /** Settings on top of the bench's own (AIDTRAIL_WAIT_FOR_PROJECTION_MS, a JWT secret …). */
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
}

export async function startBenchService(ctx: BenchContext, options: BenchServiceOptions): Promise<BenchService> {
  const db = await ctx.createDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `aidtrail-bench-${options.name}-`));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    AIDTRAIL_DATA_DIR: dataDir,
    AIDTRAIL_PORT: String(port),
    AIDTRAIL_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      output.push(line);
      if (output.length > 200) output.shift();
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`aidtrail start exited with ${child.exitCode}:\n${output.join("\n")}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`aidtrail start not ready after 120 s:\n${output.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { db, base, env, process: child, dataDir, output };
}

/** SIGTERM (SIGKILL after 20 s), then the data folder removed; the service's exit code. */
export async function stopBenchService(service: BenchService): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => {
    if (service.process.exitCode !== null) resolve(service.process.exitCode);
    else service.process.once("exit", (code) => resolve(code));
  });
  service.process.kill("SIGTERM");
  const timer = setTimeout(() => service.process.kill("SIGKILL"), 20_000);
  const code = await exited;
  clearTimeout(timer);
  await rm(service.dataDir, { recursive: true, force: true });
  return code;
}
