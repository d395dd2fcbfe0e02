import { type Kysely, sql } from "kysely";

// Frozen in time: this migration imports no application code.

/**
 * The household file's `summary` and the disbursements' `inputs` become json instead of jsonb:
 * each is written once per row and only ever read whole (the readers cast it back to jsonb, so
 * answers are unchanged), and parsing every row into jsonb was most of what loading them cost
 * PostgreSQL. Converts live read models in place, so they keep serving without a replay (their
 * existing rows keep jsonb's printing until the next rebuild writes them compact); half-built
 * rebuild schemas of the old shape are dropped (a rebuild starts by dropping them anyway). A
 * database without those read models is left alone, and running it twice changes nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop schema if exists rm_household_file__rebuild cascade`.execute(db);
  await sql`drop schema if exists rm_disbursements__rebuild cascade`.execute(db);
  await sql`
    do $$
    begin
      if exists (select 1 from information_schema.columns where table_schema = 'rm_household_file'
                 and table_name = 'household_file' and column_name = 'summary' and data_type = 'jsonb') then
        alter table rm_household_file.household_file alter column summary type json using summary::json;
      end if;
      if exists (select 1 from information_schema.columns where table_schema = 'rm_disbursements'
                 and table_name = 'disbursements' and column_name = 'inputs' and data_type = 'jsonb') then
        alter table rm_disbursements.disbursements alter column inputs type json using inputs::json;
      end if;
    end $$`.execute(db);
}

// Forward-only: the old shape can be rebuilt from the log by the previous code's replay.
