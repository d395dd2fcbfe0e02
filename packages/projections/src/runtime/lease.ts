import { isDatabaseUnreachable } from "@aidtrail/db";
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";

/** Waits between attempts to renew after a failed round trip (the pool's connect timeout comes on top). */
const RENEW_RETRY_MS = [50, 200, 500, 1_000, 2_000];

/**
 * Ownership of a projector by a lease row, not a session lock: it survives connection
 * pooling, expires when its owner dies, and is checked inside every apply transaction.
 */
export class Lease {
  /** `performance.now()` until which the lease is ours for sure: sent time of the last extension + TTL. */
  private heldUntil = 0;

  constructor(
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if free, expired or already ours; true when we hold it now. */
  async tryAcquire(db: Kysely<any>): Promise<boolean> {
    const sentAt = performance.now();
    const { rows } = await sql<{ owner: string }>`
      insert into projector_leases (name, owner, expires_at)
      values (${this.name}, ${this.owner}, now() + ${`${this.ttlMs} milliseconds`}::interval)
      on conflict (name) do update
        set owner = excluded.owner, expires_at = excluded.expires_at
        where projector_leases.owner = excluded.owner or projector_leases.expires_at < now()
      returning owner`.execute(db);
    return this.extended(rows[0]?.owner === this.owner, sentAt);
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

  /**
   * Extends the lease if we still own it; false when it expired or was taken over. A failed round
   * trip (no connection within the pool's timeout, a dropped socket) is retried while the lease
   * is still ours for sure, so a moment of contention does not abort a long rebuild; after that,
   * or on any other error, it throws.
   */
  async renew(db: Kysely<any>): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const sentAt = performance.now();
      try {
        const { rows } = await sql<{ owner: string }>`
          update projector_leases set expires_at = now() + ${`${this.ttlMs} milliseconds`}::interval
          where name = ${this.name} and owner = ${this.owner} and expires_at > now()
          returning owner`.execute(db);
        return this.extended(rows.length === 1, sentAt);
      } catch (error) {
        const wait = RENEW_RETRY_MS[Math.min(attempt, RENEW_RETRY_MS.length - 1)]!;
        if (!isDatabaseUnreachable(error) || performance.now() + wait >= this.heldUntil) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * True while the last extension is recent (within a third of the TTL): renewing then would only
   * cost a round trip, since every apply transaction checks the lease in the database anyway.
   */
  get fresh(): boolean {
    return performance.now() < this.heldUntil - (this.ttlMs * 2) / 3;
  }

  /** `renew`, skipped while the lease is `fresh`. */
  async renewIfDue(db: Kysely<any>): Promise<boolean> {
    return this.fresh || this.renew(db);
  }

  /** Records an extension sent at `sentAt` (the server's clock started the TTL no earlier). */
  private extended(held: boolean, sentAt: number): boolean {
    this.heldUntil = held ? sentAt + this.ttlMs : 0;
    return held;
  }

  /** True while another owner holds the lease unexpired: a plain read, no lock. */
  async heldByAnother(db: Kysely<any>): Promise<boolean> {
    const { rows } = await sql<{ taken: boolean }>`
      select exists (select 1 from projector_leases where name = ${this.name} and owner <> ${this.owner} and expires_at > now()) as taken`.execute(db);
    return rows[0]?.taken === true;
  }

  /** Gives the lease up (a graceful stop), so a standby takes over without waiting for it to expire. */
  async release(db: Kysely<any>): Promise<void> {
    await sql`delete from projector_leases where name = ${this.name} and owner = ${this.owner}`.execute(db);
  }
}

export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}
