import type { Database } from "@aidtrail/db";
import { type Kysely, sql } from "kysely";
import type { DataKeyStore } from "./data-key-store.js";

interface KeyRow {
  wrapped_key: Buffer | null;
}

/** Data keys in the `pii_keys` table (migration 2026-11-29T0200-pii-keys). */
export class PostgresDataKeyStore implements DataKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async getOrCreate(householdId: string, wrapped: Buffer): Promise<Buffer | null> {
    const inserted = await sql<KeyRow>`
      insert into pii_keys (household_id, wrapped_key) values (${householdId}, ${wrapped})
      on conflict (household_id) do nothing
      returning wrapped_key`.execute(this.db);
    if (inserted.rows[0]) return inserted.rows[0].wrapped_key;
    // Someone else created it first (or shredded it): theirs is the key.
    const existing = await this.get(householdId);
    if (existing === undefined) throw new Error(`pii key of ${householdId} vanished between insert and select`);
    return existing;
  }

  async get(householdId: string): Promise<Buffer | null | undefined> {
    const { rows } = await sql<KeyRow>`select wrapped_key from pii_keys where household_id = ${householdId}`.execute(this.db);
    return rows[0] ? rows[0].wrapped_key : undefined;
  }

  async shred(householdId: string): Promise<void> {
    await sql`
      insert into pii_keys (household_id, wrapped_key, shredded_at) values (${householdId}, null, now())
      on conflict (household_id) do update
        set wrapped_key = null, shredded_at = coalesce(pii_keys.shredded_at, now())`.execute(this.db);
  }
}
