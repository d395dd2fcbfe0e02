import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { selectByKeys } from "../shared/sql-rows.js";
import { readAnomaliesBatch } from "./batch-reads.js";
import { anomaliesProjection } from "./projection.js";
import { AccountHouseholdsFold } from "./shared-bank-accounts.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
});
afterAll(async () => database?.drop());

const ids = (rows: unknown[], key: string) => rows.map((r) => (r as Record<string, string>)[key]).sort();

it("reads in one statement exactly the rows of each list, each row as selectByKeys reads it, and no others", async () => {
  await database.db.transaction().execute(async (trx) => {
    await anomaliesProjection.createTables(trx);
    await sql`insert into an_programs values ('cash', '{"1": 6}'), ('med', '{"2": 0}')`.execute(trx);
    await sql`
      insert into an_payments values
        ('p1', 'h1', 'h1-m1', 'cash', '2024-01', 'k1', 50000, '2024-01-05', 1, 'counted', 1, 2, null),
        ('p2', 'h2', null, 'cash', '2024-01', 'k1', 50000, '2024-01-06', 1, 'counted', 3, 4, 9),
        ('p3', 'h2', null, 'med', '2024-02', 'k2', 7, '2024-02-01', 2, 'pending', 5, 6, null),
        ('p4', 'h3', null, 'med', '2024-02', null, 8, '2024-02-02', null, 'initiated', 7, null, null),
        ('p5', 'h1', null, 'med', '2024-03', 'k9', 9, '2024-03-01', 2, 'counted', 8, 10, null)`.execute(trx);
    await sql`
      insert into an_households values
        ('h1', 'v1', '2020-01-01', 1, '["h1-m1"]', '[]'),
        ('h2', 'v1', '2020-01-02', 2, '[]', '[{"to": "exited", "effectiveOn": "2024-01-01", "position": "3"}]'),
        ('h4', 'v2', '2020-01-03', 3, '[]', '[]'),
        ('h5', 'v2', '2020-01-04', 4, '[]', '[]')`.execute(trx);
    const anomaly = (id: string) => sql`(${id}, 'x', null, null, null, null, '{"a": 1}', '["1"]', 1, null)`;
    const anomalyIds = [
      "ineligible_household:p1",
      "member_not_in_household:p2",
      "member_not_in_household:p4",
      "duplicate_payment:k1",
      "duplicate_payment:k2",
      "payment_disputed:p9:c1",
      "ineligible_household:p5",
      "duplicate_payment:k9",
      "cap_breach:p1",
    ];
    await sql`insert into anomalies values ${sql.join(anomalyIds.map(anomaly))}`.execute(trx);

    // p1 by id; p2 shares p1's key; p3 has the events' key; p4 is of a household whose status changes.
    // Households: h4 named, h1 of p1 (named by id); h2 only of payments found otherwise.
    const read = await readAnomaliesBatch(trx, {
      paymentIds: new Set(["p1", "missing"]),
      dupKeys: new Set(["k2"]),
      statusHouseholds: new Set(["h3"]),
      householdIds: new Set(["h4"]),
      anomalyIds: new Set(["payment_disputed:p9:c1"]),
    });
    expect(read.programs).toEqual([
      { program_id: "cash", post_exit_months: { "1": 6 } },
      { program_id: "med", post_exit_months: { "2": 0 } },
    ]);
    expect(ids(read.paymentsById, "disbursement_id")).toEqual(["p1"]);
    expect(ids(read.paymentsByDupKey, "disbursement_id")).toEqual(["p1", "p2", "p3"]);
    expect(ids(read.paymentsByHousehold, "disbursement_id")).toEqual(["p4"]);
    expect(ids(read.households, "household_id")).toEqual(["h1", "h4"]);
    expect(ids(read.anomalies, "anomaly_id")).toEqual(
      ["ineligible_household:p1", "member_not_in_household:p2", "member_not_in_household:p4", "duplicate_payment:k1", "duplicate_payment:k2", "payment_disputed:p9:c1"].sort(),
    );
    // Same JSON rows (dates, bigints, jsonb, nulls) as the per-table reads.
    const byId = (rows: unknown[], key: string) => [...rows].sort((a, b) => ((a as Record<string, string>)[key]! < (b as Record<string, string>)[key]! ? -1 : 1));
    expect(byId(read.paymentsByDupKey, "disbursement_id")).toEqual(byId(await selectByKeys(trx, "an_payments", "disbursement_id", ["p1", "p2", "p3"]), "disbursement_id"));
    expect(byId(read.households, "household_id")).toEqual(byId(await selectByKeys(trx, "an_households", "household_id", ["h1", "h4"]), "household_id"));
    expect(byId(read.anomalies, "anomaly_id")).toEqual(byId(await selectByKeys(trx, "anomalies", "anomaly_id", ids(read.anomalies, "anomaly_id")), "anomaly_id"));

    const none = await readAnomaliesBatch(trx, { paymentIds: new Set(), dupKeys: new Set(), statusHouseholds: new Set(), householdIds: new Set(), anomalyIds: new Set() });
    expect(none).toEqual({ programs: read.programs, paymentsById: [], paymentsByDupKey: [], paymentsByHousehold: [], households: [], anomalies: [] });
  });
});

it("looks payments up by duplicate key and household through their indexes, on tables never analyzed (a rebuild's)", async () => {
  await onUnanalyzedTables("plan_check", "an_payments", async (trx, seqScans) => {
    await sql`
      insert into an_payments
      select 'p' || i, 'h' || (i % 1000), null, 'cash', '2024-01', 'k' || i, 100, '2024-01-05', 1, 'counted', i, i, null
      from generate_series(1, 20000) i`.execute(trx);
    const before = await seqScans();
    const read = await readAnomaliesBatch(trx, {
      paymentIds: new Set(["p1", "p2"]),
      dupKeys: new Set(Array.from({ length: 2000 }, (_, i) => `new-${i}`).concat(["k7"])),
      statusHouseholds: new Set(Array.from({ length: 700 }, (_, i) => `new-h${i}`).concat(["h3"])),
      householdIds: new Set(),
      anomalyIds: new Set(),
    });
    expect(ids(read.paymentsByDupKey, "disbursement_id")).toEqual(["p1", "p2", "p7"]);
    expect(ids(read.paymentsByHousehold, "disbursement_id")).toEqual(Array.from({ length: 20 }, (_, i) => `p${3 + 1000 * i}`).sort());
    expect(await seqScans()).toBe(before);
  });
});

it("reads bank accounts' households so far account by account, on a table never analyzed", async () => {
  await onUnanalyzedTables("accounts_check", "an_bank_account_households", async (trx, seqScans) => {
    await sql`
      insert into an_bank_account_households
      select 'a' || (i / 2), i % 2 + 1, 'h' || i, 'v' || i, i from generate_series(0, 19999) i
      union all select 'solo', 1, 'h-solo', 'v-solo', 99999`.execute(trx);
    const before = await seqScans();
    const fold = await AccountHouseholdsFold.load(trx, new Set(Array.from({ length: 1000 }, (_, i) => `new-${i}`).concat(["a7", "solo"])));
    expect(await seqScans()).toBe(before);
    // a7 has two households: a third opens nothing; solo's second opens it with solo's first village.
    expect(fold.register("a7", "h-x", "v-x", "1")).toBeNull();
    expect(fold.register("solo", "h-w", "v-w", "1")).toEqual({ firstVillageId: "v-solo" });
    expect(fold.register("new-1", "h-y", "v-y", "2")).toBeNull();
    expect(fold.register("new-1", "h-z", "v-z", "3")).toEqual({ firstVillageId: "v-y" });
  });
});

/**
 * Runs `body` in a transaction on the anomalies tables freshly made in `schema` (never analyzed, as
 * a rebuild's are), with a counter of `table`'s sequential scans so far in it (the plan a statement
 * took, without EXPLAIN).
 */
async function onUnanalyzedTables(
  schema: string,
  table: string,
  body: (trx: Transaction<any>, seqScans: () => Promise<number>) => Promise<void>,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`create schema ${sql.id(schema)}`.execute(trx);
    await sql`select set_config('search_path', ${schema}, true)`.execute(trx);
    await anomaliesProjection.createTables(trx);
    await body(trx, async () => {
      const { rows } = await sql<{ n: string }>`
        select seq_scan::text as n from pg_stat_xact_user_tables where schemaname = ${schema} and relname = ${table}`.execute(trx);
      return Number(rows[0]?.n ?? 0);
    });
  });
}
