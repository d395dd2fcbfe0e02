import { type Transaction, sql } from "kysely";

/** What an anomalies batch names itself, before reading anything. */
export interface AnomaliesBatchKeys {
  paymentIds: ReadonlySet<string>;
  dupKeys: ReadonlySet<string>;
  statusHouseholds: ReadonlySet<string>;
  householdIds: ReadonlySet<string>;
  /** Anomalies the events name directly (a closed case's dispute). */
  anomalyIds: ReadonlySet<string>;
}

/** The rows an anomalies batch folds on, each list as `selectByKeys` would return it (JSON rows). */
export interface AnomaliesBatchRows<Program, Payment, Household, Anomaly> {
  programs: Program[];
  paymentsById: Payment[];
  paymentsByDupKey: Payment[];
  paymentsByHousehold: Payment[];
  households: Household[];
  anomalies: Anomaly[];
}

/**
 * Every read of an anomalies batch in one statement, one round trip instead of six in a row:
 * the live batch waits for its slowest read model, and this was it. The reads that depend on
 * others see them through CTEs, so each list holds exactly the rows the former sequence read:
 * - payments named by id; those sharing a duplicate key with the events or with those payments;
 *   those of households whose status changes;
 * - households the events name and those of the payments named by id;
 * - anomalies the events name, each duplicate key's, and each payment's eligibility and member
 *   anomalies (ids as the projection makes them: `rule:disbursementId`, `duplicate_payment:key`).
 * Keys the batch names itself go in as array parameters (`= any($1)`), whose size the planner
 * sees, so each table is read through its index; keys found by another read (by_id's keys and
 * households, the found payments' anomalies) are joined. Never `= any(array(select …))`: the
 * planner takes such an array for 10 keys, scanned the anomalies table comparing every row with
 * every one of thousands of ids, and that was most of this statement's cost in a rebuild.
 * Payments by duplicate key or household (columns that are no key, whose values the planner
 * cannot count on a rebuild's tables, never analyzed) are looked up key by key, a lateral
 * subquery per key (`offset 0` keeps it one): `= any(thousands of keys)` or a join there was
 * planned as a scan of the whole payments table, three per batch, a cost growing with the log.
 */
export async function readAnomaliesBatch<Program, Payment, Household, Anomaly>(
  trx: Transaction<any>,
  keys: AnomaliesBatchKeys,
): Promise<AnomaliesBatchRows<Program, Payment, Household, Anomaly>> {
  const dupKeys = [...keys.dupKeys];
  const namedAnomalies = [...keys.anomalyIds, ...dupKeys.map((k) => `duplicate_payment:${k}`)];
  const { rows } = await sql<AnomaliesBatchRows<Program, Payment, Household, Anomaly>>`
    with by_id as (select * from an_payments where disbursement_id = any(${[...keys.paymentIds]}::text[])),
    by_dup_key as (
      select p.* from unnest(${dupKeys}::text[]) k(dup_key)
        cross join lateral (select * from an_payments p where p.dup_key = k.dup_key offset 0) p
      union select p.* from by_id b cross join lateral (select * from an_payments p where p.dup_key = b.dup_key offset 0) p),
    by_household as (
      select p.* from unnest(${[...keys.statusHouseholds]}::text[]) k(household_id)
        cross join lateral (select * from an_payments p where p.household_id = k.household_id offset 0) p),
    households as (
      select * from an_households where household_id = any(${[...keys.householdIds]}::text[])
      union select h.* from by_id b join an_households h on h.household_id = b.household_id),
    found as (
      select disbursement_id from by_id union select disbursement_id from by_dup_key
      union select disbursement_id from by_household),
    found_anomaly_ids as (
      select 'duplicate_payment:' || dup_key as id from by_id where dup_key is not null
      union select 'ineligible_household:' || disbursement_id from found
      union select 'member_not_in_household:' || disbursement_id from found),
    wanted_anomalies as (
      select * from anomalies where anomaly_id = any(${namedAnomalies}::text[])
      union select a.* from found_anomaly_ids f join anomalies a on a.anomaly_id = f.id)
    select
      (select coalesce(json_agg(t), '[]') from an_programs t) as programs,
      (select coalesce(json_agg(t), '[]') from by_id t) as "paymentsById",
      (select coalesce(json_agg(t), '[]') from by_dup_key t) as "paymentsByDupKey",
      (select coalesce(json_agg(t), '[]') from by_household t) as "paymentsByHousehold",
      (select coalesce(json_agg(t), '[]') from households t) as households,
      (select coalesce(json_agg(t), '[]') from wanted_anomalies t) as anomalies`.execute(trx);
  return rows[0] as AnomaliesBatchRows<Program, Payment, Household, Anomaly>;
}
