import { loanMaturity } from "@aidtrail/domain";
import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentRowBase, foldPayments } from "../shared/payment-rows.js";
import { type ColumnTypes, upsertRows } from "../shared/sql-rows.js";

export const LOAN_SCHEDULE = "loan_schedule";

interface LoanPaymentRow extends PaymentRowBase {
  loan_id: string;
  component: "interest_subsidy" | "dividend";
  period: string;
  program_id: string;
  recorded_position: string;
}

const loanColumns: ColumnTypes = {
  loan_id: "text",
  household_id: "text",
  principal_fen: "bigint",
  annual_rate_bps: "int",
  term_months: "int",
  use: "text",
  issued_on: "date",
  matures_on: "date",
  subsidy_share_bps: "int",
  annual_dividend_fen: "bigint",
  recorded_position: "bigint",
};

const paymentColumns: ColumnTypes = {
  disbursement_id: "text",
  loan_id: "text",
  component: "text",
  period: "text",
  program_id: "text",
  amount_fen: "bigint",
  state: "text",
  recorded_position: "bigint",
};

/**
 * 小额贷款: each loan's terms and the subsidy and dividend payments made against it. The
 * schedule itself (ACT/365 periods, anniversaries) is the domain's `loanSchedule`, computed by
 * the query from the stored terms: its periods depend on the paying program's granularity,
 * which a loan does not know when it is recorded.
 */
export const loanScheduleProjection: Projection = {
  name: LOAN_SCHEDULE,
  tables: ["loans", "loan_payments"],
  appendOnly: ["loans"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table loans (
        loan_id text primary key,
        household_id text not null,
        principal_fen bigint not null,
        annual_rate_bps int not null,
        term_months int not null,
        use text not null,
        issued_on date not null,
        matures_on date not null,
        subsidy_share_bps int not null,
        annual_dividend_fen bigint,
        recorded_position bigint not null
      )`.execute(trx);
    await sql`create index loans_household on loans (household_id)`.execute(trx);
    await sql`
      create table loan_payments (
        disbursement_id text primary key,
        loan_id text not null,
        component text not null,
        period text not null,
        program_id text not null,
        amount_fen bigint not null,
        state text not null,
        recorded_position bigint not null
      )`.execute(trx);
    await sql`create index loan_payments_loan on loan_payments (loan_id)`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const loans: object[] = [];
    for (const e of events) {
      if (e.type !== "LoanRecorded") continue;
      const l = e.data;
      loans.push({
        loan_id: l.loanId,
        household_id: l.householdId,
        principal_fen: l.principalFen,
        annual_rate_bps: l.annualRateBps,
        term_months: l.termMonths,
        use: l.use,
        issued_on: l.issuedOn,
        matures_on: loanMaturity(l),
        subsidy_share_bps: l.subsidyShareBps,
        annual_dividend_fen: l.annualDividendFen,
        recorded_position: e.position.toString(),
      });
    }
    const { rows: payments } = await foldPayments<LoanPaymentRow>(trx, "loan_payments", events, (e) => {
      const inputs = e.data.inputs;
      if (inputs.kind !== "loan_interest" || typeof inputs.loanId !== "string") return null;
      return {
        disbursement_id: e.data.disbursementId,
        loan_id: inputs.loanId,
        component: inputs.component === "dividend" ? "dividend" : "interest_subsidy",
        period: e.data.period,
        program_id: e.data.programId,
        amount_fen: e.data.amountFen,
        recorded_position: e.position.toString(),
      };
    });
    await upsertRows(trx, "loans", loanColumns, loans, { key: ["loan_id"], set: {} });
    await upsertRows(trx, "loan_payments", paymentColumns, payments.changed(), { key: ["disbursement_id"], set: { state: "excluded.state" } });
  },
};
