import { loanSchedule } from "@aidtrail/domain";
import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentRowBase, foldPayments } from "../shared/payment-rows.js";
import { type ColumnTypes, upsertRows } from "../shared/sql-rows.js";

export const DIVIDEND_SCHEDULE = "dividend_schedule";

interface DividendPaymentRow extends PaymentRowBase {
  source: "stake" | "loan";
  source_id: string;
  period: string;
  recorded_position: string;
}

const scheduleColumns: ColumnTypes = {
  source: "text",
  source_id: "text",
  period: "text",
  household_id: "text",
  enterprise: "text",
  year: "int",
  due_on: "date",
  amount_fen: "bigint",
};

const paymentColumns: ColumnTypes = {
  disbursement_id: "text",
  source: "text",
  source_id: "text",
  period: "text",
  amount_fen: "bigint",
  state: "text",
  recorded_position: "bigint",
};

/**
 * The dividends enterprises owe households: one row per stake and year (入股分红, due 31 December)
 * and per enterprise-use loan and anniversary (户贷企用分红). Rows are what is owed and never
 * change; payments are kept beside them, and paid/due/overdue is decided by the query against
 * the date it is asked for, so nothing here depends on when the projection ran.
 */
export const dividendScheduleProjection: Projection = {
  name: DIVIDEND_SCHEDULE,
  tables: ["dividend_schedule", "dividend_payments"],
  appendOnly: ["dividend_schedule"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table dividend_schedule (
        source text not null,
        source_id text not null,
        period text not null,
        household_id text not null,
        enterprise text,
        year int not null,
        due_on date not null,
        amount_fen bigint not null,
        primary key (source, source_id, period)
      )`.execute(trx);
    await sql`create index dividend_schedule_household on dividend_schedule (household_id)`.execute(trx);
    await sql`
      create table dividend_payments (
        disbursement_id text primary key,
        source text not null,
        source_id text not null,
        period text not null,
        amount_fen bigint not null,
        state text not null,
        recorded_position bigint not null
      )`.execute(trx);
    await sql`create index dividend_payments_due on dividend_payments (source, source_id, period)`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const owed: object[] = [];
    for (const e of events) {
      if (e.type === "StakeRecorded") {
        const s = e.data;
        for (let i = 0; i < s.years; i++) {
          const year = s.firstYear + i;
          owed.push({ source: "stake", source_id: s.stakeId, period: String(year), household_id: s.householdId, enterprise: s.enterprise, year, due_on: `${year}-12-31`, amount_fen: s.annualDividendFen });
        }
      } else if (e.type === "LoanRecorded" && e.data.use === "enterprise") {
        // Dividends fall on anniversaries, whatever the subsidy's granularity.
        for (const d of loanSchedule(e.data, "year").dividends) {
          owed.push({ source: "loan", source_id: e.data.loanId, period: d.period, household_id: e.data.householdId, enterprise: null, year: Number(d.period), due_on: d.dueOn, amount_fen: d.amountFen });
        }
      }
    }
    const { rows: payments } = await foldPayments<DividendPaymentRow>(trx, "dividend_payments", events, (e) => {
      const inputs = e.data.inputs;
      const base = { disbursement_id: e.data.disbursementId, period: e.data.period, amount_fen: e.data.amountFen, recorded_position: e.position.toString() };
      if (inputs.kind === "enterprise_dividend" && typeof inputs.stakeId === "string") return { ...base, source: "stake", source_id: inputs.stakeId };
      if (inputs.kind === "loan_interest" && inputs.component === "dividend" && typeof inputs.loanId === "string") return { ...base, source: "loan", source_id: inputs.loanId };
      return null;
    });
    await upsertRows(trx, "dividend_schedule", scheduleColumns, owed, { key: ["source", "source_id", "period"], set: {} });
    await upsertRows(trx, "dividend_payments", paymentColumns, payments.changed(), { key: ["disbursement_id"], set: { state: "excluded.state" } });
  },
};
