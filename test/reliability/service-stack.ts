import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Database, createDb, createPool } from "@aidtrail/db";
import { freePort } from "@aidtrail/testing";
import { type Kysely, sql } from "kysely";
import { ControlledPostgres, removeOnExit } from "./controlled-postgres.js";
import { ServiceProcess } from "./service-process.js";

/**
 * The deployment under test, each part a process the suite can kill: its own PostgreSQL, the
 * API (`aidtrail start` with AIDTRAIL_INLINE_PROJECTOR=false: migrations, audit sealer, HTTP)
 * and a separate `aidtrail projector`. `db` is the suite's own connection for the end checks.
 */
export interface ServiceStack {
  pg: ControlledPostgres;
  api: ServiceProcess;
  projector: ServiceProcess;
  env: NodeJS.ProcessEnv;
  base: string;
  db: Kysely<Database>;
  /** Starts the API and waits until /readyz answers 200. */
  startApi(): Promise<void>;
  /** Starts the projector and waits until it holds the projector lease. */
  startProjector(): Promise<void>;
  /** Stops everything it started and removes its folders, whatever state it is in. */
  close(): Promise<void>;
}

export async function startServiceStack(log: (line: string) => void): Promise<ServiceStack> {
  const pg = await ControlledPostgres.start();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-reliability-"));
  removeOnExit(dataDir);
  let db: Kysely<Database> | undefined;
  const started: ServiceProcess[] = [];
  try {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: pg.url,
      AIDTRAIL_DATA_DIR: dataDir,
      AIDTRAIL_PORT: String(port),
      AIDTRAIL_INLINE_PROJECTOR: "false",
      AIDTRAIL_RATE_LIMIT_PER_MINUTE: "100000000",
      AIDTRAIL_PROJECTOR_BATCH_SIZE: "200",
      LOG_LEVEL: "warn",
    };
    const base = `http://127.0.0.1:${port}`;
    const api = new ServiceProcess("api", ["start"], env);
    const projector = new ServiceProcess("projector", ["projector"], env);
    started.push(api, projector);
    const suiteDb = createDb(createPool(pg.url, { max: 4, applicationName: "aidtrail-reliability" }));
    db = suiteDb;
    const stack: ServiceStack = {
      pg,
      api,
      projector,
      env,
      base,
      db: suiteDb,
      startApi: () => api.start(async () => (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) })).status === 200),
      startProjector: () =>
        projector.start(async () => {
          const { rows } = await sql`
            select 1 from projector_leases
            where name = 'projector' and owner like ${`${projector.pid}-%`} and expires_at > now()`.execute(suiteDb);
          return rows.length === 1;
        }),
      async close() {
        await api.stop().catch(() => api.kill());
        await projector.stop().catch(() => projector.kill());
        await suiteDb.destroy().catch(() => {});
        await pg.destroy();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
    log(`PostgreSQL on port ${pg.port} (${pg.folder}); API on ${base}; projector in its own process`);
    await stack.startApi();
    await stack.startProjector();
    return stack;
  } catch (error) {
    for (const p of started) await p.kill();
    await db?.destroy().catch(() => {});
    await pg.destroy();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
