import { migrations } from "@aidtrail/db";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readLeafIndex, readLeafPositions } from "./checkpoint-rows.js";

const MIGRATION = "2026-11-29T1900-audit-leaf-runs";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
});
afterAll(async () => {
  await database?.drop();
});

// Leaf → position as a sealer before runs stored them: a long run, gaps, an earlier
// transaction's positions placed later, and leaves 0 and 2 sharing position − leaf (5) apart.
const SEALED = [5, 3, 7, 8, 9, 10, 2, 30, 31, 32, 11, 12, 40, ...Array.from({ length: 300 }, (_, i) => 100 + i), 50, 51];

const leavesView = async () =>
  (await sql<{ position: string; leaf_index: string }>`select position, leaf_index from rm_audit.audit_leaves order by leaf_index`.execute(database.db)).rows.map(
    (r) => [Number(r.leaf_index), Number(r.position)],
  );

describe("upgrading a sealed log to leaf runs", () => {
  it("given a row per leaf, when migrated, then every position finds its leaf and every leaf its position", async () => {
    const db = database.db;
    await sql`create schema rm_audit`.execute(db);
    await sql`create table rm_audit.audit_leaves (position bigint primary key, leaf_index bigint not null)`.execute(db);
    await sql`insert into rm_audit.audit_leaves select * from unnest(${SEALED.map(String)}::bigint[], ${SEALED.map((_, i) => String(i))}::bigint[])`.execute(db);

    await migrations[MIGRATION]!.up(db);

    const { rows } = await sql<{ n: string }>`select count(*) as n from rm_audit.audit_leaf_runs`.execute(db);
    expect(Number(rows[0]!.n)).toBeLessThan(SEALED.length / 10);
    for (const [leaf, position] of SEALED.entries()) {
      expect(await readLeafIndex(db, BigInt(position))).toBe(leaf);
      expect((await readLeafPositions(db, leaf, 1)).get(leaf)).toBe(BigInt(position));
    }
    for (const unsealed of [0, 1, 4, 6, 13, 29, 33, 99, 400, 10_000]) expect(await readLeafIndex(db, BigInt(unsealed))).toBeUndefined();
    expect(await leavesView()).toEqual(SEALED.map((p, i) => [i, p]));
  });

  it("given leaf runs, when migrated down, then the row per leaf comes back", async () => {
    await migrations[MIGRATION]!.down(database.db);
    expect(await leavesView()).toEqual(SEALED.map((p, i) => [i, p]));
    await migrations[MIGRATION]!.up(database.db);
    expect(await readLeafIndex(database.db, 150n)).toBe(SEALED.indexOf(150));
  });
});
