/**
 * `aidtrail start` as a child process for the benches that measure the running service (http,
 * import): a fresh database on the bench's PostgreSQL, a temp data folder, a free port, no rate
 * limit, warnings only; ready once `/readyz` answers 200. The process itself is the reliability
 * suite's ServiceProcess.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type TestDatabase, freePort } from "@aidtrail/testing";
import { ServiceProcess } from "../reliability/service-process.js";
import type { BenchContext } from "./lib.js";

export { CLI } from "../reliability/service-process.js";

export interface BenchService {
  db: TestDatabase;
  base: string;
  env: NodeJS.ProcessEnv;
  service: ServiceProcess;
  dataDir: string;
  /** The last lines the service printed, for failure messages. */
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
  const base = `http://127.0.0.1:${port}`;
  const service = new ServiceProcess("aidtrail start", ["start"], env, options.nodeArgs);
  await service.start(async () => (await fetch(`${base}/readyz`)).status === 200);
  return { db, base, env, service, dataDir, output: service.output };
}

/** SIGTERM (SIGKILL after 20 s), then the data folder removed; the service's exit code. */
export async function stopBenchService(bench: BenchService): Promise<number | null> {
  const code = await bench.service.stop();
  await rm(bench.dataDir, { recursive: true, force: true });
  return code;
}
