import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { Kysely, PostgresDialect, sql } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { withLazyTransaction } from "./lazy-transaction.js";

let database: TestDatabase;
/** The same pool, with every statement kysely sends (begin and commit too) written down. */
let db: Kysely<any>;
const sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  db = new Kysely<any>({ dialect: new PostgresDialect({ pool: database.pool }), log: (e) => void sent.push(e.query.sql.trim()) });
  await sql`create table lazy_rows (id int primary key)`.execute(database.db);
});
afterAll(async () => database?.drop());

async function ids(): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from lazy_rows order by id`.execute(database.db);
  return rows.map((r) => r.id);
}

it("work that issues no statement sends nothing at all and runs no onBegin", async () => {
  sent.length = 0;
  let began = false;
  const out = await withLazyTransaction(
    db,
    async () => {
      began = true;
    },
    async () => 42,
  );
  expect(out).toEqual({ value: 42, begun: false });
  expect(began).toBe(false);
  expect(sent).toEqual([]);
});

it("the first statement begins a transaction and runs onBegin in it first; both commit together", async () => {
  sent.length = 0;
  const out = await withLazyTransaction(
    db,
    async (trx) => {
      await sql`select set_config('aidtrail.lazy_test', 'set by onBegin', true)`.execute(trx);
      await sql`insert into lazy_rows values (1)`.execute(trx);
    },
    async (trx) => {
      const { rows } = await sql<{ v: string }>`select current_setting('aidtrail.lazy_test') as v`.execute(trx);
      await sql`insert into lazy_rows values (2)`.execute(trx);
      return rows[0]?.v;
    },
  );
  expect(out).toEqual({ value: "set by onBegin", begun: true });
  expect(sent.map((s) => s.split(/\s/)[0])).toEqual(["begin", "select", "insert", "select", "insert", "commit"]);
  expect(await ids()).toEqual([1, 2]);
});

it("work that throws after its first statement rolls back what onBegin and the work wrote", async () => {
  await expect(
    withLazyTransaction(
      db,
      async (trx) => {
        await sql`insert into lazy_rows values (3)`.execute(trx);
      },
      async (trx) => {
        await sql`insert into lazy_rows values (4)`.execute(trx);
        throw new Error("apply failed");
      },
    ),
  ).rejects.toThrow("apply failed");
  expect(await ids()).toEqual([1, 2]);
});

it("an onBegin that throws fails the work's first statement; nothing is written and the connection goes back", async () => {
  let after = false;
  await expect(
    withLazyTransaction(
      db,
      async (trx) => {
        await sql`insert into lazy_rows values (5)`.execute(trx);
        throw new Error("not due");
      },
      async (trx) => {
        await sql`insert into lazy_rows values (6)`.execute(trx);
        after = true;
      },
    ),
  ).rejects.toThrow("not due");
  expect(after).toBe(false);
  expect(await ids()).toEqual([1, 2]);
  expect(database.pool.idleCount).toBe(database.pool.totalCount);
});

it("a commit the server refuses (a deferred constraint) rolls back and throws", async () => {
  await sql`create table lazy_deferred (id int primary key deferrable initially deferred)`.execute(database.db);
  await expect(
    withLazyTransaction(
      db,
      async () => {},
      async (trx) => {
        await sql`insert into lazy_deferred values (1), (1)`.execute(trx);
      },
    ),
  ).rejects.toThrow(/duplicate key/);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from lazy_deferred`.execute(database.db);
  expect(rows[0]?.n).toBe(0);
  expect(database.pool.idleCount).toBe(database.pool.totalCount);
});
