import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { Kysely, PostgresDialect, type Transaction, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appliedByRebuild } from "../../runtime/bulk-load.js";
import { BatchState, preload } from "./batch-state.js";
import { copyRows, upsertRows } from "./sql-rows.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
});
afterAll(async () => database?.drop());

it("upsertRows writes text with quotes and backslashes, numbers, and json values as given, in order; JSON null and missing are SQL NULL", async () => {
  const rows = [
    { id: "a", n: 1, label: 'say "hi" \\ there', doc: { nested: ['x"y', "back\\slash", null], n: 2 } },
    { id: "b", n: 2, label: null, doc: "just a string" },
    { id: "c", n: 3, label: "{,}", doc: null },
    { id: "d", n: 4, label: "NULL", doc: [1, 2, { "k,": "v}" }] },
    { id: "e", n: 5 },
  ];
  await database.db.transaction().execute(async (trx) => {
    await sql`create temporary table t (id text primary key, n bigint, label text, doc jsonb) on commit drop`.execute(trx);
    await upsertRows(trx, "t", { id: "text", n: "bigint", label: "text", doc: "jsonb" }, rows, { key: ["id"], set: {} });
    const { rows: back } = await sql<{ id: string; n: string; label: string | null; doc: unknown; doc_is_null: boolean }>`
      select id, n, label, doc, doc is null as doc_is_null from t order by id`.execute(trx);
    expect(back).toEqual([
      { id: "a", n: "1", label: 'say "hi" \\ there', doc: rows[0]!.doc, doc_is_null: false },
      { id: "b", n: "2", label: null, doc: "just a string", doc_is_null: false },
      { id: "c", n: "3", label: "{,}", doc: null, doc_is_null: true },
      { id: "d", n: "4", label: "NULL", doc: [1, 2, { "k,": "v}" }], doc_is_null: false },
      { id: "e", n: "5", label: null, doc: null, doc_is_null: true },
    ]);
  });
});

it("copyRows writes exactly the rows upsertRows writes: escapes, COPY's own markers, unicode, numbers, json", async () => {
  const columns = { id: "text", n: "bigint", at: "timestamptz", x: "xid8", label: "text", doc: "jsonb", raw: "json" } as const;
  const odd = ["tab\there", "new\nline", "cr\rhere", "back\\slash", "\\N", "\\.", "\\", 'say "hi"', "一户一档 ✓", "", "{,}", "NULL"];
  const rows = odd.map((label, i) => ({
    id: `r${i}`,
    n: i % 2 === 0 ? i : String(2 ** 53 + i),
    at: "2024-06-20T08:00:00.123Z",
    x: String(1000 + i),
    label: i === 3 ? null : label,
    doc: i === 4 ? null : { label, list: [label, null, i], nested: { "k\t": "v\n\\" } },
    // json keeps its text: both ways must store exactly this process's printing (key order, no spaces)
    raw: i === 5 ? null : { zeta: label, a: [i, null], nested: { "k\t": "v\n\\" } },
  }));
  rows.push({ id: "missing", n: 0, at: "2024-01-01T00:00:00Z", x: "1" } as (typeof rows)[number]);
  await database.db.transaction().execute(async (trx) => {
    const def = sql`(id text primary key, n bigint, at timestamptz, x xid8, label text, doc jsonb, raw json) on commit drop`;
    await sql`create temporary table by_insert ${def}`.execute(trx);
    await sql`create temporary table by_copy ${def}`.execute(trx);
    await upsertRows(trx, "by_insert", columns, rows, { key: ["id"], set: {} });
    await copyRows(trx, "by_copy", columns, rows);
    const { rows: diff } = await sql<{ r: string }>`
      (select t::text as r from by_insert t except all select t::text from by_copy t)
      union all (select t::text from by_copy t except all select t::text from by_insert t)`.execute(trx);
    expect(diff).toEqual([]);
    const { rows: count } = await sql<{ n: number }>`select count(*)::int as n from by_copy`.execute(trx);
    expect(count[0]?.n).toBe(rows.length);
    const { rows: raw } = await sql<{ id: string; raw: string | null }>`select id, raw::text as raw from by_insert order by id`.execute(trx);
    expect(raw).toEqual(rows.map((r) => ({ id: r.id, raw: r.raw == null ? null : JSON.stringify(r.raw) })).sort((a, b) => (a.id < b.id ? -1 : 1)));
  });
});

it("a COPY that fails fails its transaction: nothing it sent is written, and the connection serves the next one", async () => {
  await sql`create table copy_target (id text primary key, n bigint not null)`.execute(database.db);
  const attempt = database.db.transaction().execute(async (trx) => {
    await copyRows(trx, "copy_target", { id: "text", n: "bigint" }, [{ id: "a", n: 1 }, { id: "b", n: "not a number" }]);
  });
  await expect(attempt).rejects.toThrow(/invalid input syntax for type bigint/);
  await database.db.transaction().execute(async (trx) => {
    await copyRows(trx, "copy_target", { id: "text", n: "bigint" }, [{ id: "c", n: 3 }]);
  });
  const { rows } = await sql<{ id: string }>`select id from copy_target order by id`.execute(database.db);
  expect(rows).toEqual([{ id: "c" }]);
});

describe("in a rebuild, rows a batch state made for keys it found nowhere", () => {
  const columns = { id: "text", n: "bigint" } as const;
  const additive = { key: ["id"], set: { n: "counters.n + excluded.n" } } as const;

  /** Runs `work` in a transaction marked as a rebuild's apply, counting the COPYs it sent. */
  async function inRebuild(work: (trx: Transaction<any>) => Promise<void>): Promise<number> {
    let copies = 0;
    const counted = new Kysely<any>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (e) => {
        if (typeof e.query.sql !== "string") copies++;
      },
    });
    const projection = appliedByRebuild({ name: "t", tables: [], async createTables() {}, applyBatch: (trx) => work(trx) });
    await counted.transaction().execute((trx) => projection.applyBatch(trx, []));
    return copies;
  }

  async function counters(): Promise<Array<{ id: string; n: string }>> {
    return (await sql<{ id: string; n: string }>`select id, n::text from counters order by id`.execute(database.db)).rows;
  }

  beforeAll(async () => {
    await sql`create table counters (id text primary key, n bigint not null)`.execute(database.db);
  });

  it("go in by COPY, next to the upsert of rows it loaded", async () => {
    await sql`truncate counters; insert into counters values ('loaded', 10)`.execute(database.db);
    const copies = await inRebuild(async (trx) => {
      const state = new BatchState<{ id: string; n: number }>();
      await preload(state, ["loaded", "new-1"], async () => [["loaded", { id: "loaded", n: 10 }]]);
      state.set("loaded", { id: "loaded", n: 5 });
      state.set("new-1", { id: "new-1", n: 1 });
      state.set("new-2", { id: "new-2", n: 2 });
      await upsertRows(trx, "counters", columns, state.changed(), additive);
    });
    expect(copies).toBe(1);
    expect(await counters()).toEqual([
      { id: "loaded", n: "15" },
      { id: "new-1", n: "1" },
      { id: "new-2", n: "2" },
    ]);
  });

  it("are upserted after all when one of them exists, exactly as outside a rebuild, and the transaction goes on", async () => {
    const batch = (state: BatchState<{ id: string; n: number }>) => {
      state.set("existing", { id: "existing", n: 5 }); // never loaded: presumed new, wrongly
      state.set("new", { id: "new", n: 1 });
    };
    await sql`truncate counters; insert into counters values ('existing', 10)`.execute(database.db);
    await database.db.transaction().execute(async (trx) => {
      const state = new BatchState<{ id: string; n: number }>();
      batch(state);
      await upsertRows(trx, "counters", columns, state.changed(), additive);
    });
    const outside = await counters();
    await sql`truncate counters; insert into counters values ('existing', 10)`.execute(database.db);
    const copies = await inRebuild(async (trx) => {
      const state = new BatchState<{ id: string; n: number }>();
      batch(state);
      await upsertRows(trx, "counters", columns, state.changed(), additive);
      await sql`insert into counters values ('after', 7)`.execute(trx);
    });
    expect(copies).toBe(1);
    expect(outside).toEqual([
      { id: "existing", n: "15" },
      { id: "new", n: "1" },
    ]);
    expect(await counters()).toEqual([{ id: "after", n: "7" }, ...outside]);
  });
});
