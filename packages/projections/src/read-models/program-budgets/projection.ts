import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentState, type PaymentTotals, paymentStepOf, stepPayment, zeroTotals } from "../shared/payment-ledger.js";
import { type ColumnTypes, selectByKeys, upsertRows } from "../shared/sql-rows.js";

export const PROGRAM_BUDGETS = "program_budgets";

/** What the budget knows of one disbursement: its reservation and, once recorded, its payment. */
interface BudgetDisbursementRow {
  disbursement_id: string;
  program_id: string;
  reserved_fen: number;
  reservation: "none" | "active" | "released";
  amount_fen: number;
  state: PaymentState | "none";
}

const disbursementColumns: ColumnTypes = {
  disbursement_id: "text",
  program_id: "text",
  reserved_fen: "bigint",
  reservation: "text",
  amount_fen: "bigint",
  state: "text",
};

const budgetColumns: ColumnTypes = {
  program_id: "text",
  name: "text",
  kind: "text",
  funding_source: "text",
  rule_version: "int",
  allocated_fen: "bigint",
  allocations: "int",
  reserved_fen: "bigint",
  paid_fen: "bigint",
  reversed_fen: "bigint",
  pending_fen: "bigint",
  payments: "int",
  reversals: "int",
  last_position: "bigint",
};

interface BudgetDelta extends PaymentTotals {
  program_id: string;
  name: string | null;
  kind: string | null;
  funding_source: string | null;
  rule_version: number | null;
  allocated_fen: number;
  allocations: number;
  reserved_fen: number;
  last_position: string;
}

const add = (column: string) => `program_budgets.${column} + excluded.${column}`;
const keep = (column: string) => `coalesce(excluded.${column}, program_budgets.${column})`;

/**
 * 资金计划 per program: allocated, reserved (active reservations, as the program stream holds
 * them), disbursed (paid, counted as balances count it), reversed, and
 * remaining = allocated − reserved, which is exactly the domain's `programBudget`.
 * `held_fen` = reserved − net disbursed: pending approval, in flight, or awaiting release.
 */
export const programBudgetsProjection: Projection = {
  name: PROGRAM_BUDGETS,
  tables: ["budget_disbursements", "program_budgets"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table budget_disbursements (
        disbursement_id text primary key,
        program_id text not null,
        reserved_fen bigint not null,
        reservation text not null,
        amount_fen bigint not null,
        state text not null
      )`.execute(trx);
    await sql`
      create table program_budgets (
        program_id text primary key,
        name text,
        kind text,
        funding_source text,
        rule_version int,
        allocated_fen bigint not null,
        allocations int not null,
        reserved_fen bigint not null,
        paid_fen bigint not null,
        reversed_fen bigint not null,
        disbursed_fen bigint generated always as (paid_fen - reversed_fen) stored,
        pending_fen bigint not null,
        held_fen bigint generated always as (reserved_fen - (paid_fen - reversed_fen)) stored,
        remaining_fen bigint generated always as (allocated_fen - reserved_fen) stored,
        payments int not null,
        reversals int not null,
        last_position bigint not null
      )`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const disbursements = new BatchState<BudgetDisbursementRow>();
    const reservedHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      switch (e.type) {
        case "FundsReserved":
          reservedHere.add(e.data.disbursementId);
          break;
        case "ReservationReleased":
        case "DisbursementRecorded":
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed":
          if (!reservedHere.has(e.data.disbursementId)) referenced.push(e.data.disbursementId);
          break;
        default:
          break;
      }
    }
    await preload(disbursements, referenced, async (ids) =>
      (await selectByKeys<BudgetDisbursementRow>(trx, "budget_disbursements", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    const deltas = new Map<string, BudgetDelta>();
    const deltaOf = (programId: string, position: bigint): BudgetDelta => {
      let d = deltas.get(programId);
      if (!d) {
        d = { ...zeroTotals(), program_id: programId, name: null, kind: null, funding_source: null, rule_version: null, allocated_fen: 0, allocations: 0, reserved_fen: 0, last_position: "0" };
        deltas.set(programId, d);
      }
      d.last_position = position.toString();
      return d;
    };
    const fresh = (id: string, programId: string): BudgetDisbursementRow => ({
      disbursement_id: id,
      program_id: programId,
      reserved_fen: 0,
      reservation: "none",
      amount_fen: 0,
      state: "none",
    });

    for (const e of events) {
      switch (e.type) {
        case "ProgramDefined": {
          const d = deltaOf(e.data.programId, e.position);
          d.name = e.data.name;
          d.kind = e.data.kind;
          d.funding_source = e.data.fundingSource;
          d.rule_version = e.data.rule.version;
          break;
        }
        case "ProgramRuleRevised":
          deltaOf(e.data.programId, e.position).rule_version = e.data.rule.version;
          break;
        case "AllocationAdded": {
          const d = deltaOf(e.data.programId, e.position);
          d.allocated_fen += e.data.amountFen;
          d.allocations += 1;
          break;
        }
        case "FundsReserved": {
          const row = disbursements.get(e.data.disbursementId) ?? fresh(e.data.disbursementId, e.data.programId);
          if (row.reservation !== "none") break;
          deltaOf(row.program_id, e.position).reserved_fen += e.data.amountFen;
          disbursements.set(row.disbursement_id, { ...row, reserved_fen: e.data.amountFen, reservation: "active" });
          break;
        }
        case "ReservationReleased": {
          const row = disbursements.get(e.data.disbursementId);
          if (!row || row.reservation !== "active") break;
          deltaOf(row.program_id, e.position).reserved_fen -= Number(row.reserved_fen);
          disbursements.set(row.disbursement_id, { ...row, reservation: "released" });
          break;
        }
        case "DisbursementRecorded":
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed": {
          const step = paymentStepOf(e.type, e.type === "DisbursementRecorded" ? e.data.status : undefined);
          if (!step) break;
          let row = disbursements.get(e.data.disbursementId);
          if (e.type === "DisbursementRecorded") {
            row = row ?? fresh(e.data.disbursementId, e.data.programId);
            if (row.state !== "none") break;
            row = { ...row, amount_fen: e.data.amountFen };
          }
          if (!row || (row.state === "none" && step.kind !== "recorded")) break;
          const before = row.state === "none" ? undefined : row.state;
          const d = deltaOf(row.program_id, e.position);
          const next = stepPayment(before, step, Number(row.amount_fen), d);
          if (next !== undefined && next !== before) disbursements.set(row.disbursement_id, { ...row, state: next });
          break;
        }
        default:
          break;
      }
    }

    await upsertRows(trx, "budget_disbursements", disbursementColumns, disbursements.changed(), { key: ["disbursement_id"], set: "all" });
    const rows = [...deltas.values()].map((d) => ({
      program_id: d.program_id,
      name: d.name,
      kind: d.kind,
      funding_source: d.funding_source,
      rule_version: d.rule_version,
      allocated_fen: d.allocated_fen,
      allocations: d.allocations,
      reserved_fen: d.reserved_fen,
      paid_fen: d.paidFen,
      reversed_fen: d.reversedFen,
      pending_fen: d.pendingFen,
      payments: d.payments,
      reversals: d.reversals,
      last_position: d.last_position,
    }));
    await upsertRows(trx, "program_budgets", budgetColumns, rows, {
      key: ["program_id"],
      set: {
        name: keep("name"),
        kind: keep("kind"),
        funding_source: keep("funding_source"),
        rule_version: keep("rule_version"),
        allocated_fen: add("allocated_fen"),
        allocations: add("allocations"),
        reserved_fen: add("reserved_fen"),
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
