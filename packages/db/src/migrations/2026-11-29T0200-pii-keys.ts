import { type Kysely, sql } from "kysely";

/**
 * Per-household data keys for personal data, wrapped by the master key. Kept outside the event
 * log on purpose: deleting a key (crypto-shredding) erases the household's national ids and
 * bank accounts while every event and Merkle hash stays intact. A shredded row keeps its
 * tombstone (wrapped_key null) so a key is never silently re-created for an erased household.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table pii_keys (
      household_id text primary key,
      wrapped_key bytea,
      created_at timestamptz not null default now(),
      shredded_at timestamptz,
      check ((wrapped_key is null) = (shredded_at is not null))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists pii_keys`.execute(db);
}
