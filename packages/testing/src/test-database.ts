import { randomBytes } from "node:crypto";
import { createDb, createPool, migrateToLatest } from "@aidtrail/db";
import type { Database } from "@aidtrail/db";
import type { Kysely } from "kysely";
import pg from "pg";

export interface TestDatabase {
  url: string;
  name: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `aidtrail_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, { max: 20, applicationName: "aidtrail-test" });
  const db = createDb(pool);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    url,
    name,
    db,
    pool,
    async drop() {
      await db.destroy();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
