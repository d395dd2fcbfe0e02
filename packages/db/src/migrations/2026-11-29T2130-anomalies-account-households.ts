import { type Kysely, sql } from "kysely";

// Frozen in time: this migration imports no application code.

/**
 * The anomalies read model keeps a shared bank account's households as one row each
 * (`an_bank_account_households`) instead of one jsonb list per account that every new
 * household rewrote whole, and the `shared_bank_account` anomaly no longer stores those
 * lists (its reader assembles them). Converts a live `rm_anomalies` in place, so it keeps
 * serving without a replay; a half-built rebuild schema of the old shape is dropped (a
 * rebuild starts by dropping it anyway). A database without that read model is left alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop schema if exists rm_anomalies__rebuild cascade`.execute(db);
  await sql`
    do $$
    begin
      if to_regclass('rm_anomalies.an_bank_accounts') is null then
        return;
      end if;
      lock table rm_anomalies._checkpoint in exclusive mode;
      create table rm_anomalies.an_bank_account_households (
        anomaly_id text not null, ordinal int not null, household_id text not null, village_id text not null,
        position bigint not null, primary key (anomaly_id, ordinal));
      -- The anomaly id is the one the projection derives from the blind index: a hash of it.
      insert into rm_anomalies.an_bank_account_households (anomaly_id, ordinal, household_id, village_id, position)
        select 'shared_bank_account:' || left(encode(sha256(convert_to(b.blind_index, 'UTF8')), 'hex'), 16),
               h.ordinal::int, h.entry ->> 'householdId', h.entry ->> 'villageId', (h.entry ->> 'position')::bigint
        from rm_anomalies.an_bank_accounts b
        cross join lateral jsonb_array_elements(b.households) with ordinality as h(entry, ordinal);
      drop table rm_anomalies.an_bank_accounts;
      update rm_anomalies.anomalies
        set details = jsonb_build_object('accountMasked', details -> 'accountMasked'), positions = '[]'::jsonb
        where rule = 'shared_bank_account';
    end $$`.execute(db);
}

// Forward-only: the old shape can be rebuilt from the log by the previous code's replay.
