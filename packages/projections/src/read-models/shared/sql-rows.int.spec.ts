import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { upsertRows } from "./sql-rows.js";

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
