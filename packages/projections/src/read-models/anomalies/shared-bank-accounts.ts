import { createHash } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import { upsertRows } from "../shared/sql-rows.js";

/**
 * Households registered with one bank account: a row per (account, household), in registration
 * order, so a third household adds one row instead of rewriting a list that grows with the log.
 * The `shared_bank_account` anomaly row is written once, by the second household; its lists are
 * assembled from these rows when it is read.
 */
export const ACCOUNT_HOUSEHOLDS = "an_bank_account_households";

export async function createAccountHouseholdsTable(trx: Transaction<any>): Promise<void> {
  await sql`
    create table an_bank_account_households (
      anomaly_id text not null, ordinal int not null, household_id text not null, village_id text not null,
      position bigint not null, primary key (anomaly_id, ordinal))`.execute(trx);
}

/** The bank account's blind index is itself linkable: ids show a hash of it, never the index. */
export function sharedAccountAnomalyId(blindIndex: string): string {
  return `shared_bank_account:${createHash("sha256").update(blindIndex).digest("hex").slice(0, 16)}`;
}

interface AccountSoFar {
  households: number;
  firstVillageId: string | null;
}

/** A batch's registrations to bank accounts, folded on top of what each account had before. */
export class AccountHouseholdsFold {
  private readonly added: object[] = [];

  private constructor(private readonly accounts: Map<string, AccountSoFar>) {}

  /** Loads, for the accounts of `anomalyIds`, how many households they had and the first one's village. */
  static async load(trx: Transaction<any>, anomalyIds: ReadonlySet<string>): Promise<AccountHouseholdsFold> {
    const accounts = new Map<string, AccountSoFar>();
    if (anomalyIds.size > 0) {
      // Account by account (a lateral subquery per id): `anomaly_id = any(…)` on the key's first
      // column was planned, on a rebuild's tables (never analyzed), as a scan of the whole table.
      const { rows } = await sql<{ anomaly_id: string; households: number; first_village_id: string | null }>`
        select k.anomaly_id, a.households, a.first_village_id
        from unnest(${[...anomalyIds]}::text[]) k(anomaly_id)
        cross join lateral (
          select count(*)::int as households, min(b.village_id) filter (where b.ordinal = 1) as first_village_id
          from an_bank_account_households b where b.anomaly_id = k.anomaly_id) a
        where a.households > 0`.execute(trx);
      for (const r of rows) accounts.set(r.anomaly_id, { households: r.households, firstVillageId: r.first_village_id });
    }
    return new AccountHouseholdsFold(accounts);
  }

  /** Adds a household to the account; returns the first household's village when it is the second. */
  register(anomalyId: string, householdId: string, villageId: string, position: string): { firstVillageId: string } | null {
    const account = this.accounts.get(anomalyId) ?? { households: 0, firstVillageId: villageId };
    account.households += 1;
    this.accounts.set(anomalyId, account);
    this.added.push({ anomaly_id: anomalyId, ordinal: account.households, household_id: householdId, village_id: villageId, position });
    return account.households === 2 ? { firstVillageId: account.firstVillageId ?? villageId } : null;
  }

  async write(trx: Transaction<any>): Promise<void> {
    const columns = { anomaly_id: "text", ordinal: "int", household_id: "text", village_id: "text", position: "bigint" };
    await upsertRows(trx, ACCOUNT_HOUSEHOLDS, columns, this.added, { key: ["anomaly_id", "ordinal"], set: {} });
  }
}

export interface AccountHouseholds {
  householdIds: string[];
  villageIds: string[];
  /** Registration positions, decimal strings, in registration order. */
  positions: string[];
}

/** The households of each shared account anomaly in `anomalyIds`, in registration order. */
export async function accountHouseholds(db: Kysely<any>, schema: string, anomalyIds: readonly string[]): Promise<Map<string, AccountHouseholds>> {
  const out = new Map<string, AccountHouseholds>();
  if (anomalyIds.length === 0) return out;
  const { rows } = await sql<{ anomaly_id: string; household_id: string; village_id: string; position: string }>`
    select anomaly_id, household_id, village_id, position::text as position
    from ${sql.id(schema, ACCOUNT_HOUSEHOLDS)} where anomaly_id = any(${anomalyIds}::text[])
    order by anomaly_id, ordinal`.execute(db);
  for (const r of rows) {
    const account = out.get(r.anomaly_id) ?? { householdIds: [], villageIds: [], positions: [] };
    account.householdIds.push(r.household_id);
    account.villageIds.push(r.village_id);
    account.positions.push(r.position);
    out.set(r.anomaly_id, account);
  }
  return out;
}
