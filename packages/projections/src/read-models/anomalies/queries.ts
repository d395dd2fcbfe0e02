import { type CalendarDate, addDays } from "@aidtrail/domain";
import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { dividendSchedule } from "../dividend-schedule/queries.js";
import type { AnomalyRule } from "./anomaly-rules.js";
import { ANOMALIES } from "./projection.js";
import { accountHouseholds } from "./shared-bank-accounts.js";

export interface Anomaly {
  anomalyId: string;
  rule: AnomalyRule;
  /** Open until the event that settles it (reversal, closed case, later status change); time-based rows are always open. */
  status: "open" | "resolved";
  villageId: string | null;
  householdId: string | null;
  disbursementId: string | null;
  programId: string | null;
  details: Record<string, unknown>;
  /** Global positions of the events behind it (decimal strings), oldest first; the settling event last. */
  positions: string[];
  openedPosition: string | null;
  resolvedPosition: string | null;
}

export interface AnomalyQuery {
  /** The date time-based rules are judged on (a parameter, never the clock). */
  asOf: CalendarDate;
  /** A counted payment with no verification this many days after paidOn is `payment_unverified`. */
  unverifiedAfterDays: number;
  villageId?: string;
  rule?: AnomalyRule;
  includeResolved?: boolean;
}

/** Every anomaly: the projected ones, then the time-based ones as of `asOf`; by rule, then position. */
export async function anomalies(db: Kysely<any>, query: AnomalyQuery): Promise<Anomaly[]> {
  const schema = liveSchema(ANOMALIES);
  const wants = (rule: AnomalyRule) => query.rule === undefined || query.rule === rule;
  const out: Anomaly[] = [];

  let q = db.withSchema(schema).selectFrom("anomalies").selectAll();
  if (!query.includeResolved) q = q.where("resolved_position", "is", null);
  if (query.villageId !== undefined) q = q.where("village_id", "=", query.villageId);
  if (query.rule !== undefined) q = q.where("rule", "=", query.rule);
  const projected = await q.orderBy("opened_position").orderBy("anomaly_id").execute();
  const shared = await accountHouseholds(
    db,
    schema,
    projected.filter((r) => r.rule === "shared_bank_account").map((r) => r.anomaly_id),
  );
  for (const r of projected) {
    // A shared account's households are rows of their own; the anomaly lists them all.
    const account = shared.get(r.anomaly_id);
    if (account) {
      r.details = { householdIds: account.householdIds, villageIds: account.villageIds, ...r.details };
      r.positions = account.positions;
    }
    out.push({
      anomalyId: r.anomaly_id,
      rule: r.rule,
      status: r.resolved_position === null ? "open" : "resolved",
      villageId: r.village_id,
      householdId: r.household_id,
      disbursementId: r.disbursement_id,
      programId: r.program_id,
      details: r.details,
      positions: r.positions,
      openedPosition: String(r.opened_position),
      resolvedPosition: r.resolved_position === null ? null : String(r.resolved_position),
    });
  }

  if (wants("dividend_overdue") || wants("loan_dividend_overdue")) {
    const overdue = await dividendSchedule(db, { asOf: query.asOf, status: "overdue" });
    const { rows } = overdue.length
      ? await sql<{ source_id: string; position: string; village_id: string | null }>`
          select a.source_id, a.position::text as position, h.village_id
          from ${sql.id(schema, "an_assets")} a left join ${sql.id(schema, "an_households")} h on h.household_id = a.household_id
          where a.source_id = any(${[...new Set(overdue.map((d) => d.sourceId))]}::text[])`.execute(db)
      : { rows: [] };
    const assets = new Map(rows.map((r) => [r.source_id, r]));
    for (const d of overdue) {
      const rule: AnomalyRule = d.source === "stake" ? "dividend_overdue" : "loan_dividend_overdue";
      const asset = assets.get(d.sourceId);
      if (!wants(rule) || (query.villageId !== undefined && asset?.village_id !== query.villageId)) continue;
      out.push({
        anomalyId: `${rule}:${d.sourceId}:${d.period}`,
        rule,
        status: "open",
        villageId: asset?.village_id ?? null,
        householdId: d.householdId,
        disbursementId: null,
        programId: null,
        details: { [d.source === "stake" ? "stakeId" : "loanId"]: d.sourceId, period: d.period, dueOn: d.dueOn, amountFen: d.amountFen, enterprise: d.enterprise, asOf: query.asOf },
        positions: asset ? [asset.position] : [],
        openedPosition: null,
        resolvedPosition: null,
      });
    }
  }

  if (wants("payment_unverified")) {
    // Paid on or before this date and still unverified on asOf: N full days have passed.
    const paidBy = addDays(query.asOf, -query.unverifiedAfterDays);
    const village = query.villageId === undefined ? sql`` : sql`and h.village_id = ${query.villageId}`;
    const { rows } = await sql<Record<string, any>>`
      select p.disbursement_id, p.household_id, p.program_id, p.amount_fen, p.paid_on::text as paid_on, p.recorded_position::text as recorded_position, h.village_id
      from ${sql.id(schema, "an_payments")} p left join ${sql.id(schema, "an_households")} h on h.household_id = p.household_id
      where p.state = 'counted' and p.verified_position is null and p.paid_on <= ${paidBy}::date ${village}
      order by p.recorded_position`.execute(db);
    for (const r of rows) {
      out.push({
        anomalyId: `payment_unverified:${r.disbursement_id}`,
        rule: "payment_unverified",
        status: "open",
        villageId: r.village_id,
        householdId: r.household_id,
        disbursementId: r.disbursement_id,
        programId: r.program_id,
        details: { paidOn: r.paid_on, amountFen: Number(r.amount_fen), unverifiedAfterDays: query.unverifiedAfterDays, asOf: query.asOf },
        positions: [r.recorded_position],
        openedPosition: null,
        resolvedPosition: null,
      });
    }
  }
  return out;
}
