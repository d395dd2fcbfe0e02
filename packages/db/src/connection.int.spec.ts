import pg from "pg";
import { expect, inject, it } from "vitest";
import { createPool } from "./connection.js";

/**
 * A PostgreSQL restart terminates every session, including those a caller has checked out of
 * the pool (a projector inside its transaction). pg then emits 'error' on that client; without
 * a listener it is an uncaught exception and the whole process (API or projector) goes down.
 */
it("a checked-out client whose session is terminated fails its query instead of crashing the process", async () => {
  const pool = createPool(inject("pgAdminUrl"), { max: 2, applicationName: "aidtrail-terminated-session" });
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await admin.connect();
  try {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    // Terminated while checked out and idle between queries, as when the server shuts down.
    await admin.query("select pg_terminate_backend($1, 5000)", [rows[0]!.pid]);
    // No listener of our own on the client: an unhandled 'error' would fail this test file.
    await new Promise((r) => setTimeout(r, 200));
    await expect(client.query("select 1")).rejects.toThrow(/not queryable|terminat/i);
    client.release();
    // The pool dropped the dead client and serves the next query from a fresh one.
    expect((await pool.query<{ one: number }>("select 1 as one")).rows[0]?.one).toBe(1);
  } finally {
    await admin.end();
    await pool.end();
  }
});
