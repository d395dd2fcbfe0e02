import { type CalendarDate, type ScheduleStatus, scheduleStatus } from "@aidtrail/domain";
import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { DIVIDEND_SCHEDULE } from "./projection.js";

export interface DividendEntry {
  source: "stake" | "loan";
  /** The stake or loan id. */
  sourceId: string;
  householdId: string;
  enterprise: string | null;
  year: number;
  period: string;
  dueOn: CalendarDate;
  amountFen: number;
  status: ScheduleStatus;
  /** The disbursement that paid it (recorded or approved, not reversed). */
  paidBy: string | null;
}

export interface DividendQuery {
  /** The date paid/due/overdue is judged on (a parameter, never the clock). */
  asOf: CalendarDate;
  householdId?: string;
  sourceId?: string;
  status?: ScheduleStatus;
}

/** Dividends owed, paid and overdue as of a date, by household, source and due date. */
export async function dividendSchedule(db: Kysely<any>, query: DividendQuery): Promise<DividendEntry[]> {
  let q = db
    .withSchema(liveSchema(DIVIDEND_SCHEDULE))
    .selectFrom("dividend_schedule as s")
    .select([
      "s.source",
      "s.source_id",
      "s.household_id",
      "s.enterprise",
      "s.year",
      "s.period",
      sql<string>`s.due_on::text`.as("due_on"),
      "s.amount_fen",
      sql<string | null>`(select min(p.disbursement_id) from ${sql.id(liveSchema(DIVIDEND_SCHEDULE), "dividend_payments")} p
        where p.source = s.source and p.source_id = s.source_id and p.period = s.period and p.state = 'counted')`.as("paid_by"),
    ]);
  if (query.householdId !== undefined) q = q.where("s.household_id", "=", query.householdId);
  if (query.sourceId !== undefined) q = q.where("s.source_id", "=", query.sourceId);
  const rows = await q.orderBy("s.household_id").orderBy("s.source").orderBy("s.source_id").orderBy("s.due_on").execute();
  const entries = rows.map(
    (r): DividendEntry => ({
      source: r.source,
      sourceId: r.source_id,
      householdId: r.household_id,
      enterprise: r.enterprise,
      year: r.year,
      period: r.period,
      dueOn: r.due_on,
      amountFen: Number(r.amount_fen),
      status: scheduleStatus(r.due_on, query.asOf, r.paid_by !== null),
      paidBy: r.paid_by,
    }),
  );
  return query.status === undefined ? entries : entries.filter((e) => e.status === query.status);
}
