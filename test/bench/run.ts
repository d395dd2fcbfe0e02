/**
 * `pnpm bench <name> [args…]` runs test/bench/<name>.bench.ts against a real PostgreSQL
 * (embedded unless DATABASE_URL is set), prints progress, and ends with exactly one
 * `RESULT {json}` line (see ARCHITECTURE.md, "Benchmarks"). `pnpm bench` lists the benches.
 */
import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type TestDatabase, createTestDatabase, providePostgres } from "@aidtrail/testing";
import pg from "pg";
import { type Bench, type BenchContext, RssSampler, round } from "./lib.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = ".bench.ts";

async function benchNames(): Promise<string[]> {
  return (await readdir(here))
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

function log(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

async function serverVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>("show server_version");
    return rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const names = await benchNames();
  if (!name || name === "--help" || name === "-h") {
    process.stdout.write(`usage: pnpm bench <name> [args]\nbenches:\n${names.map((n) => `  ${n}`).join("\n")}\n`);
    return 0;
  }
  if (!names.includes(name)) {
    process.stderr.write(`unknown bench ${JSON.stringify(name)}; benches: ${names.join(", ")}\n`);
    return 2;
  }
  const bench = (await import(pathToFileURL(path.join(here, `${name}${SUFFIX}`)).href)) as Bench;

  // Benchmarks run on embedded PostgreSQL unless DATABASE_URL says otherwise (never a container).
  process.env.AIDTRAIL_NO_CONTAINERS ??= "1";
  const rss = new RssSampler();
  const started = Date.now();
  log(`${name}: starting PostgreSQL (${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded"})`);
  const server = await providePostgres((line) => log(`postgres: ${line}`));
  const databases: TestDatabase[] = [];
  let result: Record<string, unknown> | undefined;
  let failure: unknown;
  try {
    const version = await serverVersion(server.adminUrl);
    log(`${name}: PostgreSQL ${version} from ${server.source}; node ${process.version}; ${os.cpus().length} cpus`);
    const ctx: BenchContext = {
      adminUrl: server.adminUrl,
      source: server.source,
      serverVersion: version,
      async createDatabase(options) {
        const db = await createTestDatabase(server.adminUrl, options);
        databases.push(db);
        return db;
      },
      log: (line) => log(`${name}: ${line}`),
      args,
    };
    const figures = await bench.run(ctx);
    result = {
      bench: name,
      ...figures,
      peakRssMb: rss.peakMb,
      postgres: `${version.split(" ")[0]} (${server.source})`,
      cpus: os.cpus().length,
      // The machine may be shared: the 1-minute load average at the end says how busy it was.
      loadAvg1m: round(os.loadavg()[0] ?? 0, 2),
      seconds: round((Date.now() - started) / 1000, 1),
    };
  } catch (error) {
    failure = error;
  } finally {
    rss.stop();
    for (const db of databases) await db.drop().catch(() => {});
    await server.stop().catch(() => {});
  }
  if (failure !== undefined || !result) {
    process.stderr.write(`bench ${name} failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
    return 1;
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
