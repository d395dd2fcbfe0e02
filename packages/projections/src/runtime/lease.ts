import { type Kysely, type RawBuilder, type Transaction, sql } from "kysely";

/**
 * Ownership of a projector by a lease row, not a session lock: it survives connection
 * pooling, expires when its owner dies, and is checked inside every apply transaction.
 */
export class Lease {
  constructor(
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if free, expired or already ours; true when we hold it now. */
  async tryAcquire(db: Kysely<any>): Promise<boolean> {
    const { rows } = await sql<{ owner: string }>`
      insert into projector_leases (name, owner, expires_at)
      values (${this.name}, ${this.owner}, now() + ${`${this.ttlMs} milliseconds`}::interval)
      on conflict (name) do update
        set owner = excluded.owner, expires_at = excluded.expires_at
        where projector_leases.owner = excluded.owner or projector_leases.expires_at < now()
      returning owner`.execute(db);
    return rows[0]?.owner === this.owner;
  }

  /**
   * Inside an apply transaction: locks the lease row, checks we still own it and extends it.
   * A takeover waits for this transaction, and this transaction sees a takeover that won.
   */
  async holdWithin(trx: Transaction<any>): Promise<boolean> {
    const { rows } = await sql<{ owner: string }>`
      update projector_leases set expires_at = now() + ${`${this.ttlMs} milliseconds`}::interval
      where name = ${this.name} and owner = ${this.owner} and expires_at > now()
      returning owner`.execute(trx);
    return rows.length === 1;
  }

  /**
   * Inside one of several concurrent apply transactions: checks we still own the lease and
   * share-locks its row, so a takeover waits for every one of them without their queueing on
   * each other (`holdWithin` takes the row exclusively). Extend it with `renew` between batches.
   */
  async checkWithin(trx: Transaction<any>): Promise<boolean> {
    const { rows } = await sql<{ held: boolean }>`select ${this.heldCondition()} as held`.execute(trx);
    return rows[0]?.held === true;
  }

  /** `checkWithin` as a condition, so a statement that does more takes the share lock too. */
  heldCondition(): RawBuilder<boolean> {
    return sql<boolean>`exists (
      select 1 from projector_leases
      where name = ${this.name} and owner = ${this.owner} and expires_at > now()
      for share)`;
  }

  /** Extends the lease if we still own it; false when it expired or was taken over. */
  async renew(db: Kysely<any>): Promise<boolean> {
    const { rows } = await sql<{ owner: string }>`
      update projector_leases set expires_at = now() + ${`${this.ttlMs} milliseconds`}::interval
      where name = ${this.name} and owner = ${this.owner} and expires_at > now()
      returning owner`.execute(db);
    return rows.length === 1;
  }

  async release(db: Kysely<any>): Promise<void> {
    await sql`delete from projector_leases where name = ${this.name} and owner = ${this.owner}`.execute(db);
  }
}

export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}
