import { migrations } from "@aidtrail/db";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { disbursementsProjection } from "./disbursements/projection.js";
import { disbursementsOfHousehold } from "./disbursements/queries.js";
import { householdFileProjection } from "./household-file/projection.js";
import { householdFile } from "./household-file/queries.js";
import { type ReadModelHarness, createHarness, project, recordStory } from "./testing/scenario.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [householdFileProjection, disbursementsProjection], 5);
});
afterAll(async () => h?.close());

const migration = migrations["2026-11-30T0300-read-models-json-documents"]!;
const households = ["h1", "h2", "h3"];

/** The answers as JSON text: key order counts (a json column read as it is would keep this process's order). */
async function answers(): Promise<string> {
  const out: unknown[] = [];
  for (const id of households) out.push(await householdFile(h.database.db, id), await disbursementsOfHousehold(h.database.db, id));
  return JSON.stringify(out, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

async function types(): Promise<string[]> {
  const { rows } = await sql<{ t: string }>`
    select data_type as t from information_schema.columns
    where (table_schema, table_name, column_name) in (('rm_household_file', 'household_file', 'summary'), ('rm_disbursements', 'disbursements', 'inputs'))
    order by table_schema`.execute(h.database.db);
  return rows.map((r) => r.t);
}

it("the documents are json, answered as jsonb answered them; a live read model of the old shape is converted in place", async () => {
  expect(await types()).toEqual(["json", "json"]);
  const fresh = await answers();
  const summaries = await sql<{ n: number }>`select count(*)::int as n from rm_household_file.household_file`.execute(h.database.db);
  expect(summaries.rows[0]!.n).toBeGreaterThan(20);
  expect(fresh).toContain('"inputs":{');

  // The shape before: jsonb columns.
  await sql`alter table rm_household_file.household_file alter column summary type jsonb using summary::jsonb`.execute(h.database.db);
  await sql`alter table rm_disbursements.disbursements alter column inputs type jsonb using inputs::jsonb`.execute(h.database.db);
  expect(await types()).toEqual(["jsonb", "jsonb"]);
  expect(await answers()).toBe(fresh);

  await migration.up(h.database.db);
  expect(await types()).toEqual(["json", "json"]);
  expect(await answers()).toBe(fresh);
  // Again (already converted): nothing changes, and the read models go on projecting.
  await migration.up(h.database.db);
  expect(await answers()).toBe(fresh);
});
