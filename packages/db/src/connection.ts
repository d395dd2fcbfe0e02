import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

export interface ConnectOptions {
  /** Upper bound of pooled connections. */
  max?: number;
  applicationName?: string;
  /**
   * Send a query without waiting for the answers to those before it (pg's pipeline mode): for a
   * caller that issues several at once (the live projector). No cursors or COPY on such a pool.
   */
  pipeline?: boolean;
}

/** A pg pool for the given URL; the caller owns it and must `end()` it. */
export function createPool(url: string, options: ConnectOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "aidtrail",
    // Fail fast instead of hanging when the database is away.
    connectionTimeoutMillis: 5_000,
    ...(options.pipeline ? { pipeline: true } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  // Nor may a checked-out one: pg emits 'error' on it when its server goes away (restart, failover),
  // and the pool's listener covers only idle clients. The query in flight gets the error anyway,
  // and the pool drops the dead client when it is released.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return pool;
}

/** A typed kysely instance over a pool; destroying it ends the pool. */
export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
