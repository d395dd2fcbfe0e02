import type { Transaction } from "kysely";
import { BatchState, preload } from "./batch-state.js";
import type { DomainRecordedEvent } from "./domain-event.js";
import { type PaymentState, paymentStepOf, stepPayment, zeroTotals } from "./payment-ledger.js";
import { selectByKeys } from "./sql-rows.js";

/** The columns every per-payment table of a read model starts with. */
export interface PaymentRowBase {
  disbursement_id: string;
  amount_fen: number;
  state: PaymentState;
}

/**
 * Folds the batch's payment steps into rows of `table`, for the payments `pick` selects from
 * their DisbursementRecorded (returning the row's own columns, or null to ignore the payment).
 * Later steps name only the id, so rows recorded in earlier batches are loaded in one query.
 */
export async function foldPayments<Row extends PaymentRowBase>(
  trx: Transaction<any>,
  table: string,
  events: readonly DomainRecordedEvent[],
  pick: (e: Extract<DomainRecordedEvent, { type: "DisbursementRecorded" }>) => Omit<Row, "state"> | null,
): Promise<FoldedPayments<Row>> {
  const state = new BatchState<Row>();
  const recordedHere = new Set<string>();
  const referenced: string[] = [];
  for (const e of events) {
    if (e.type === "DisbursementRecorded") recordedHere.add(e.data.disbursementId);
    else if ((e.type === "DisbursementApproved" || e.type === "DisbursementRejected" || e.type === "DisbursementReversed") && !recordedHere.has(e.data.disbursementId)) {
      referenced.push(e.data.disbursementId);
    }
  }
  await preload(state, referenced, async (ids) => (await selectByKeys<Row>(trx, table, "disbursement_id", ids)).map((r) => [r.disbursement_id, r]));
  const before = new Map([...state.rows].map(([id, row]) => [id, row.state]));
  const scratch = zeroTotals();
  for (const e of events) {
    if (e.type === "DisbursementRecorded") {
      const picked = pick(e);
      if (!picked || state.get(e.data.disbursementId)) continue;
      const next = stepPayment(undefined, paymentStepOf(e.type, e.data.status)!, picked.amount_fen, scratch);
      // `picked` is the pick's fresh row: it becomes the row, its state set in place.
      if (next) {
        (picked as Row).state = next;
        state.set(e.data.disbursementId, picked as Row);
      }
      continue;
    }
    if (e.type !== "DisbursementApproved" && e.type !== "DisbursementRejected" && e.type !== "DisbursementReversed") continue;
    const row = state.get(e.data.disbursementId);
    const step = paymentStepOf(e.type);
    if (!row || !step) continue;
    const next = stepPayment(row.state, step, Number(row.amount_fen), scratch);
    // The row is this batch's own (made above, or read by this batch's query): changed in place.
    if (next !== undefined && next !== row.state) {
      row.state = next;
      state.set(row.disbursement_id, row);
    }
  }
  return { rows: state, before };
}

export interface FoldedPayments<Row> {
  /** `rows.changed()` are the rows to write back. */
  rows: BatchState<Row>;
  /** The state each payment had before the batch (absent: recorded in this batch). */
  before: ReadonlyMap<string, PaymentState>;
}
