import { createDb, createPool } from "@aidtrail/db";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Lease } from "./lease.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
});
afterAll(async () => database.drop());

/**
 * A pool of one connection that gives up waiting for it after 100 ms: holding that connection
 * makes every other query fail to connect, as a pool does under contention.
 */
async function starvedDb() {
  const pool = createPool(database.url, { max: 1 });
  (await pool.connect()).release(); // connected with the usual timeout, which then shrinks
  pool.options.connectionTimeoutMillis = 100;
  return { pool, db: createDb(pool) };
}

async function expiresInMs(name: string): Promise<number> {
  const { rows } = await sql<{ ms: number }>`
    select extract(epoch from expires_at - now()) * 1000 as ms from projector_leases where name = ${name}`.execute(database.db);
  return Number(rows[0]?.ms ?? Number.NaN);
}

describe("Lease.renew", () => {
  it("retries a failed connect while the lease is still ours, and extends it", async () => {
    const { pool, db } = await starvedDb();
    const lease = new Lease("renew-retry", "owner-a", 30_000);
    expect(await lease.tryAcquire(db)).toBe(true);
    await sql`update projector_leases set expires_at = now() + interval '5 seconds' where name = 'renew-retry'`.execute(database.db);
    const held = await pool.connect();
    // Every attempt times out connecting until the connection comes back.
    setTimeout(() => held.release(), 600);
    expect(await lease.renew(db)).toBe(true);
    expect(await expiresInMs("renew-retry")).toBeGreaterThan(20_000);
    await db.destroy();
  });

  it("gives up once the lease may have expired, without claiming it", async () => {
    const { pool, db } = await starvedDb();
    const lease = new Lease("renew-expired", "owner-b", 300);
    expect(await lease.tryAcquire(db)).toBe(true);
    const held = await pool.connect();
    await expect(lease.renew(db)).rejects.toThrow(/timeout exceeded when trying to connect/);
    held.release();
    await db.destroy();
  });

  it("does not retry a statement the server refused", async () => {
    const pool = createPool(database.url, { max: 1 });
    const db = createDb(pool);
    const lease = new Lease("renew-refused", "owner-c", 30_000);
    expect(await lease.tryAcquire(db)).toBe(true);
    await sql`alter table projector_leases rename to projector_leases_away`.execute(database.db);
    try {
      await expect(lease.renew(db)).rejects.toThrow(/projector_leases/);
    } finally {
      await sql`alter table projector_leases_away rename to projector_leases`.execute(database.db);
      await db.destroy();
    }
  });
});
