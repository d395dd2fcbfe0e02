import {
  type CalendarDate,
  type Granularity,
  type LoanRecorded,
  type ScheduleStatus,
  loanSchedule as computeLoanSchedule,
  scheduleStatus,
} from "@aidtrail/domain";
import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { LOAN_SCHEDULE } from "./projection.js";

export interface ScheduledPayment {
  period: string;
  dueOn: CalendarDate;
  amountFen: number;
  status: ScheduleStatus;
  /** The disbursement that paid it (recorded or approved, not reversed). */
  paidBy: string | null;
}

export interface SubsidyPeriod extends ScheduledPayment {
  from: CalendarDate;
  /** Accrual end (exclusive), which is also `dueOn`. */
  to: CalendarDate;
  days: number;
  interestFen: number;
}

export interface LoanScheduleView {
  loan: LoanRecorded["data"];
  maturesOn: CalendarDate;
  /** The granularity the subsidy periods are cut at. */
  granularity: Granularity;
  interestSubsidy: SubsidyPeriod[];
  dividends: ScheduledPayment[];
}

/**
 * A loan's interest-subsidy periods and dividends, due, paid or overdue as of `asOf`.
 * The subsidy is cut at `granularity` when given, else at that of the periods already paid
 * for this loan, else at the one most subsidy payments of any loan used, else yearly.
 */
export async function loanSchedule(
  db: Kysely<any>,
  loanId: string,
  options: { asOf: CalendarDate; granularity?: Granularity },
): Promise<LoanScheduleView | null> {
  const schema = db.withSchema(liveSchema(LOAN_SCHEDULE));
  const loanRow = await schema
    .selectFrom("loans")
    .select([
      "loan_id",
      "household_id",
      "principal_fen",
      "annual_rate_bps",
      "term_months",
      "use",
      sql<string>`issued_on::text`.as("issued_on"),
      "subsidy_share_bps",
      "annual_dividend_fen",
    ])
    .where("loan_id", "=", loanId)
    .executeTakeFirst();
  if (!loanRow) return null;
  const loan: LoanRecorded["data"] = {
    loanId: loanRow.loan_id,
    householdId: loanRow.household_id,
    principalFen: Number(loanRow.principal_fen),
    annualRateBps: loanRow.annual_rate_bps,
    termMonths: loanRow.term_months,
    use: loanRow.use,
    issuedOn: loanRow.issued_on,
    subsidyShareBps: loanRow.subsidy_share_bps,
    annualDividendFen: loanRow.annual_dividend_fen === null ? null : Number(loanRow.annual_dividend_fen),
  };
  const payments = await schema
    .selectFrom("loan_payments")
    .select(["disbursement_id", "component", "period"])
    .where("loan_id", "=", loanId)
    .where("state", "=", "counted")
    .orderBy("disbursement_id")
    .execute();
  const paid = (component: string, period: string) =>
    payments.find((p) => p.component === component && p.period === period)?.disbursement_id ?? null;

  const granularity = options.granularity ?? (await subsidyGranularity(db, loanId));
  const schedule = computeLoanSchedule(loan, granularity);
  return {
    loan,
    maturesOn: schedule.maturesOn,
    granularity,
    interestSubsidy: schedule.interestSubsidy.map((p) => {
      const paidBy = paid("interest_subsidy", p.period);
      return {
        period: p.period,
        from: p.from,
        to: p.to,
        days: p.days,
        interestFen: p.interestFen,
        dueOn: p.to,
        amountFen: p.subsidyFen,
        status: scheduleStatus(p.to, options.asOf, paidBy !== null),
        paidBy,
      };
    }),
    dividends: schedule.dividends.map((d) => {
      const paidBy = paid("dividend", d.period);
      return { period: d.period, dueOn: d.dueOn, amountFen: d.amountFen, status: scheduleStatus(d.dueOn, options.asOf, paidBy !== null), paidBy };
    }),
  };
}

/** Loans of a household, by loan id. */
export async function loansOfHousehold(db: Kysely<any>, householdId: string): Promise<string[]> {
  const rows = await db.withSchema(liveSchema(LOAN_SCHEDULE)).selectFrom("loans").select("loan_id").where("household_id", "=", householdId).orderBy("loan_id").execute();
  return rows.map((r) => r.loan_id);
}

async function subsidyGranularity(db: Kysely<any>, loanId: string): Promise<Granularity> {
  const table = sql.id(liveSchema(LOAN_SCHEDULE), "loan_payments");
  const own = await sql<{ period: string }>`
    select period from ${table} where loan_id = ${loanId} and component = 'interest_subsidy' order by period limit 1`.execute(db);
  const ownGranularity = own.rows[0] ? granularityOfPeriod(own.rows[0].period) : null;
  if (ownGranularity) return ownGranularity;
  // Canonical period texts differ in shape per granularity: group by the shape.
  const common = await sql<{ period: string }>`
    select min(period) as period from ${table} where component = 'interest_subsidy'
    group by regexp_replace(period, '[0-9]', '0', 'g') order by count(*) desc, 1 limit 1`.execute(db);
  return (common.rows[0] ? granularityOfPeriod(common.rows[0].period) : null) ?? "year";
}

/** Canonical period texts name their granularity: 2024-03, 2024-Q1, 2024-H1, 2024, once. */
export function granularityOfPeriod(period: string): Granularity | null {
  if (period === "once") return "one_off";
  if (/^\d{4}-\d{2}$/.test(period)) return "month";
  if (/^\d{4}-Q\d$/.test(period)) return "quarter";
  if (/^\d{4}-H\d$/.test(period)) return "half_year";
  if (/^\d{4}$/.test(period)) return "year";
  return null;
}
