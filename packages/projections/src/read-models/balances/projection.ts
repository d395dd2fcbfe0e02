import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentState, type PaymentTotals, paymentStepOf, stepPayment, zeroTotals } from "../shared/payment-ledger.js";
import { type ColumnTypes, selectByKeys, upsertRows } from "../shared/sql-rows.js";

export const BALANCES = "balances";

interface PaymentRow {
  disbursement_id: string;
  household_id: string;
  program_id: string;
  amount_fen: number;
  state: PaymentState;
}

const paymentColumns: ColumnTypes = {
  disbursement_id: "text",
  household_id: "text",
  program_id: "text",
  amount_fen: "bigint",
  state: "text",
};

const balanceColumns: ColumnTypes = {
  household_id: "text",
  program_id: "text",
  paid_fen: "bigint",
  reversed_fen: "bigint",
  pending_fen: "bigint",
  payments: "int",
  reversals: "int",
  last_position: "bigint",
};

const add = (column: string) => `balances.${column} + excluded.${column}`;

/**
 * Per household × program: paid, reversed and net (fen). `balance_payments` remembers each
 * payment's household, program, amount and state, because approvals and reversals name only the id.
 */
export const balancesProjection: Projection = {
  name: BALANCES,
  tables: ["balance_payments", "balances"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table balance_payments (
        disbursement_id text primary key,
        household_id text not null,
        program_id text not null,
        amount_fen bigint not null,
        state text not null
      )`.execute(trx);
    await sql`
      create table balances (
        household_id text not null,
        program_id text not null,
        paid_fen bigint not null,
        reversed_fen bigint not null,
        net_fen bigint generated always as (paid_fen - reversed_fen) stored,
        pending_fen bigint not null,
        payments int not null,
        reversals int not null,
        last_position bigint not null,
        primary key (household_id, program_id)
      )`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const payments = new BatchState<PaymentRow>();
    const recordedHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      if (e.type === "DisbursementRecorded") recordedHere.add(e.data.disbursementId);
      else if (e.type === "DisbursementApproved" || e.type === "DisbursementRejected" || e.type === "DisbursementReversed") {
        if (!recordedHere.has(e.data.disbursementId)) referenced.push(e.data.disbursementId);
      }
    }
    await preload(payments, referenced, async (ids) =>
      (await selectByKeys<PaymentRow>(trx, "balance_payments", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    const deltas = new Map<string, PaymentTotals & { household_id: string; program_id: string; last_position: string }>();
    for (const e of events) {
      const step = paymentStepOf(e.type, e.type === "DisbursementRecorded" ? e.data.status : undefined);
      if (!step || !("disbursementId" in e.data)) continue;
      let payment = payments.get(e.data.disbursementId);
      if (e.type === "DisbursementRecorded") {
        if (payment) continue; // a payment is recorded once
        const d = e.data;
        payment = { disbursement_id: d.disbursementId, household_id: d.householdId, program_id: d.programId, amount_fen: d.amountFen, state: "pending" };
      }
      if (!payment) continue;
      const key = `${payment.household_id}\u0000${payment.program_id}`;
      const delta = deltas.get(key) ?? { ...zeroTotals(), household_id: payment.household_id, program_id: payment.program_id, last_position: "0" };
      const before = step.kind === "recorded" ? undefined : payment.state;
      const next = stepPayment(before, step, Number(payment.amount_fen), delta);
      if (next === undefined || next === before) continue;
      delta.last_position = e.position.toString();
      deltas.set(key, delta);
      payments.set(payment.disbursement_id, { ...payment, state: next });
    }

    await upsertRows(trx, "balance_payments", paymentColumns, payments.changed(), { key: ["disbursement_id"], set: { state: "excluded.state" } });
    const rows = [...deltas.values()].map((d) => ({
      household_id: d.household_id,
      program_id: d.program_id,
      paid_fen: d.paidFen,
      reversed_fen: d.reversedFen,
      pending_fen: d.pendingFen,
      payments: d.payments,
      reversals: d.reversals,
      last_position: d.last_position,
    }));
    await upsertRows(trx, "balances", balanceColumns, rows, {
      key: ["household_id", "program_id"],
      set: {
        paid_fen: add("paid_fen"),
        reversed_fen: add("reversed_fen"),
        pending_fen: add("pending_fen"),
        payments: add("payments"),
        reversals: add("reversals"),
        last_position: "excluded.last_position",
      },
    });
  },
};
