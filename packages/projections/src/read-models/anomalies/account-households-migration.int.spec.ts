import { migrations } from "@aidtrail/db";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { sharedAccountAnomalyId } from "./shared-bank-accounts.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
});
afterAll(async () => database?.drop());

/** A live rm_anomalies as the code before the migration left it: one jsonb list per account. */
async function oldShapeSchema() {
  const db = database.db;
  await sql`create schema rm_anomalies`.execute(db);
  await sql`create table rm_anomalies._checkpoint (id int primary key, position bigint not null)`.execute(db);
  await sql`create table rm_anomalies.an_bank_accounts (blind_index text primary key, households jsonb not null)`.execute(db);
  await sql`
    create table rm_anomalies.anomalies (
      anomaly_id text primary key, rule text not null, village_id text, household_id text, disbursement_id text,
      program_id text, details jsonb not null, positions jsonb not null, opened_position bigint not null, resolved_position bigint)`.execute(db);
  const households = [
    { householdId: "a6", villageId: "v2", position: "31" },
    { householdId: "a7", villageId: "v1", position: "40" },
    { householdId: "a9", villageId: "v1", position: "77" },
  ];
  await sql`insert into rm_anomalies.an_bank_accounts values ('bi:shared', ${JSON.stringify(households)}::jsonb), ('bi:alone', ${JSON.stringify(households.slice(0, 1))}::jsonb)`.execute(db);
  const details = { householdIds: ["a6", "a7", "a9"], villageIds: ["v2", "v1", "v1"], accountMasked: "6217 **** 0006" };
  await sql`insert into rm_anomalies.anomalies values
    (${sharedAccountAnomalyId("bi:shared")}, 'shared_bank_account', 'v2', null, null, null, ${JSON.stringify(details)}::jsonb, '["31","40","77"]', 40, null),
    ('payment_disputed:d1:c1', 'payment_disputed', 'v1', 'a6', 'd1', 'p', '{"caseId":"c1"}', '["50"]', 50, null)`.execute(db);
}

it("converts a live anomalies read model to a row per (account, household), as the projection now writes it", async () => {
  await oldShapeSchema();
  await migrations["2026-11-29T2130-anomalies-account-households"]!.up(database.db);
  const { rows: accounts } = await sql`
    select anomaly_id, ordinal, household_id, village_id, position::text from rm_anomalies.an_bank_account_households order by anomaly_id, ordinal`.execute(database.db);
  const shared = sharedAccountAnomalyId("bi:shared");
  const alone = sharedAccountAnomalyId("bi:alone");
  expect(accounts).toEqual(
    [
      { anomaly_id: shared, ordinal: 1, household_id: "a6", village_id: "v2", position: "31" },
      { anomaly_id: shared, ordinal: 2, household_id: "a7", village_id: "v1", position: "40" },
      { anomaly_id: shared, ordinal: 3, household_id: "a9", village_id: "v1", position: "77" },
      { anomaly_id: alone, ordinal: 1, household_id: "a6", village_id: "v2", position: "31" },
    ].sort((a, b) => (a.anomaly_id < b.anomaly_id ? -1 : a.anomaly_id > b.anomaly_id ? 1 : a.ordinal - b.ordinal)),
  );
  const { rows: anomalies } = await sql`select anomaly_id, details, positions, opened_position::text from rm_anomalies.anomalies order by anomaly_id`.execute(database.db);
  expect(anomalies).toEqual([
    { anomaly_id: "payment_disputed:d1:c1", details: { caseId: "c1" }, positions: ["50"], opened_position: "50" },
    { anomaly_id: shared, details: { accountMasked: "6217 **** 0006" }, positions: [], opened_position: "40" },
  ]);
  expect((await sql`select to_regclass('rm_anomalies.an_bank_accounts') as t`.execute(database.db)).rows).toEqual([{ t: null }]);
  // Run again (a database already converted): nothing changes.
  await migrations["2026-11-29T2130-anomalies-account-households"]!.up(database.db);
  expect((await sql`select count(*)::int as n from rm_anomalies.an_bank_account_households`.execute(database.db)).rows).toEqual([{ n: 4 }]);
});
