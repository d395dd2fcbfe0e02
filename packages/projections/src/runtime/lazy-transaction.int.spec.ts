import { createPool } from "@aidtrail/db";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { type CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withLazyTransaction } from "./lazy-transaction.js";

let database: TestDatabase;
const pools: pg.Pool[] = [];
const sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  await sql`create table lazy_rows (id int primary key, note text)`.execute(database.db);
  await sql`create table lazy_deferred (id int primary key deferrable initially deferred)`.execute(database.db);
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await database?.drop();
});

async function ids(): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from lazy_rows order by id`.execute(database.db);
  return rows.map((r) => r.id);
}

/** An opening that raises unless `ok`, as the projector's does when its lease is gone or the batch is not due. */
function opening(db: Kysely<any>, ok = true, write?: number): CompiledQuery {
  if (write === undefined) return sql`select aidtrail_require(${ok}, 'not due')`.compile(db);
  return sql`with w as (insert into lazy_rows values (${write}, 'opening') returning 1)
    select aidtrail_require(${ok}, 'not due'), (select count(*) from w)`.compile(db);
}

describe.each([
  ["a plain pool", false],
  ["a pipelining pool", true],
])("a lazy transaction on %s", (_, pipeline) => {
  let db: Kysely<any>;
  let pool: pg.Pool;
  let base: number;

  beforeAll(async () => {
    pool = createPool(database.url, { max: 2, pipeline });
    pools.push(pool);
    // Every statement kysely sends (begin and commit too) is written down.
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => void sent.push(e.query.sql.trim().split(/\s/)[0]!) });
    base = pipeline ? 100 : 0;
  });

  const released = () => expect(pool.idleCount).toBe(pool.totalCount);
  const lazy = <T>(open: CompiledQuery, work: (trx: Transaction<any>) => Promise<T>) => withLazyTransaction(db, open, work, { pipelined: pipeline });

  it("work that issues no statement sends nothing at all", async () => {
    sent.length = 0;
    expect(await lazy(opening(db), async () => 42)).toEqual({ value: 42, committed: false });
    expect(sent).toEqual([]);
  });

  it("begins at the first statement with the opening before it; writes go out unanswered and commit together with what the opening wrote", async () => {
    sent.length = 0;
    const out = await lazy(opening(db, true, base + 1), async (trx) => {
      const write = await sql`insert into lazy_rows values (${base + 2}, 'work')`.execute(trx);
      await sql`update lazy_rows set note = 'updated' where id = ${base + 2}`.execute(trx);
      // A read sees the writes before it.
      const { rows } = await sql<{ note: string }>`select note from lazy_rows where id = ${base + 2}`.execute(trx);
      return { write: write.rows, note: rows[0]?.note };
    });
    expect(out).toEqual({ value: { write: [], note: "updated" }, committed: true });
    expect(sent).toEqual(["begin", "with", "insert", "update", "select", "commit"]);
    expect((await ids()).filter((id) => id > base && id < base + 100)).toEqual([base + 1, base + 2]);
    released();
  });

  it("an opening that raises fails the work's first read with its own error; nothing is written", async () => {
    const before = await ids();
    let after = false;
    await expect(
      lazy(opening(db, false), async (trx) => {
        await sql`insert into lazy_rows values (${base + 3}, 'work')`.execute(trx);
        await sql`select 1`.execute(trx);
        after = true;
      }),
    ).rejects.toThrow("not due");
    expect(after).toBe(false);
    expect(await ids()).toEqual(before);
    released();
  });

  it("an opening that raises fails the commit of work that only writes; nothing is written", async () => {
    const before = await ids();
    await expect(
      lazy(opening(db, false), async (trx) => {
        await sql`insert into lazy_rows values (${base + 4}, 'work')`.execute(trx);
        await sql`insert into lazy_rows values (${base + 5}, 'work')`.execute(trx);
      }),
    ).rejects.toThrow("not due");
    expect(await ids()).toEqual(before);
    released();
  });

  it("a write that fails unanswered fails the commit with its own error and undoes the writes before and after it", async () => {
    const before = await ids();
    await expect(
      lazy(opening(db, true, base + 6), async (trx) => {
        await sql`insert into lazy_rows values (${base + 7}, 'work')`.execute(trx);
        await sql`insert into lazy_rows values (${base + 7}, 'twice')`.execute(trx);
        await sql`insert into lazy_rows values (${base + 8}, 'work')`.execute(trx);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await ids()).toEqual(before);
    released();
  });

  it("work that throws after writing rolls back what the opening and the work wrote", async () => {
    const before = await ids();
    await expect(
      lazy(opening(db, true, base + 9), async (trx) => {
        await sql`insert into lazy_rows values (${base + 10}, 'work')`.execute(trx);
        throw new Error("apply failed");
      }),
    ).rejects.toThrow("apply failed");
    expect(await ids()).toEqual(before);
    released();
  });

  it("a commit the server refuses (a deferred constraint) throws and leaves nothing", async () => {
    await expect(
      lazy(opening(db), async (trx) => {
        await sql`insert into lazy_deferred values (${base + 1}), (${base + 1})`.execute(trx);
      }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from lazy_deferred`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
    released();
  });
});
