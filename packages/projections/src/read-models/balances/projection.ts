import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentState, type PaymentStep, type PaymentTotals, paymentStepOf, stepPayment } from "../shared/payment-ledger.js";
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

/** What one batch adds to a household × program, and the position of the last step that moved it. */
interface Delta extends PaymentTotals {
  household_id: string;
  program_id: string;
  lastPosition: bigint;
  /** Another program of the same household moved in the batch. */
  sibling: Delta | undefined;
}

function newDelta(householdId: string, programId: string, sibling: Delta | undefined): Delta {
  return { paidFen: 0, reversedFen: 0, pendingFen: 0, payments: 0, reversals: 0, household_id: householdId, program_id: programId, lastPosition: 0n, sibling };
}

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
    // Approvals, rejections and reversals of payments recorded in an earlier batch: loaded in one query.
    const recordedHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      switch (e.type) {
        case "DisbursementRecorded":
          recordedHere.add(e.data.disbursementId);
          break;
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed":
          if (!recordedHere.has(e.data.disbursementId)) referenced.push(e.data.disbursementId);
          break;
      }
    }
    await preload(payments, referenced, async (ids) =>
      (await selectByKeys<PaymentRow>(trx, "balance_payments", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    // One delta per household × program the batch moves, in the order the batch first moves each;
    // found by household, then along that household's few programs (no key string per step).
    const deltas: Delta[] = [];
    const byHousehold = new Map<string, Delta>();
    for (const e of events) {
      let payment: PaymentRow | undefined;
      let step: PaymentStep;
      switch (e.type) {
        case "DisbursementRecorded": {
          const d = e.data;
          if (payments.get(d.disbursementId)) continue; // a payment is recorded once
          step = paymentStepOf(e.type, d.status)!;
          payment = { disbursement_id: d.disbursementId, household_id: d.householdId, program_id: d.programId, amount_fen: d.amountFen, state: "pending" };
          break;
        }
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed":
          step = paymentStepOf(e.type)!;
          payment = payments.get(e.data.disbursementId);
          if (!payment) continue;
          break;
        default:
          continue;
      }
      const first = byHousehold.get(payment.household_id);
      let delta = first;
      while (delta !== undefined && delta.program_id !== payment.program_id) delta = delta.sibling;
      const fresh = delta === undefined;
      delta ??= newDelta(payment.household_id, payment.program_id, first);
      const before = step.kind === "recorded" ? undefined : payment.state;
      // A step that changes nothing leaves the totals as they were (stepPayment's contract).
      const next = stepPayment(before, step, Number(payment.amount_fen), delta);
      if (next === undefined || next === before) continue;
      if (fresh) {
        byHousehold.set(payment.household_id, delta);
        deltas.push(delta);
      }
      delta.lastPosition = e.position;
      // The row is this batch's own (made above, or read by this batch's query): changed in place.
      payment.state = next;
      payments.set(payment.disbursement_id, payment);
    }

    await upsertRows(trx, "balance_payments", paymentColumns, payments.changed(), { key: ["disbursement_id"], set: { state: "excluded.state" } });
    const rows = deltas.map((d) => ({
      household_id: d.household_id,
      program_id: d.program_id,
      paid_fen: d.paidFen,
      reversed_fen: d.reversedFen,
      pending_fen: d.pendingFen,
      payments: d.payments,
      reversals: d.reversals,
      last_position: d.lastPosition.toString(),
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
