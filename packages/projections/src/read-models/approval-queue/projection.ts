import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { isoTime } from "../shared/iso-time.js";
import { type ColumnTypes, deleteByKeys, selectByKeys, upsertRows } from "../shared/sql-rows.js";

export const APPROVAL_QUEUE = "approval_queue";

interface InFlightRow {
  disbursement_id: string;
  prepared_by: string;
}

interface QueueRow {
  disbursement_id: string;
  household_id: string;
  member_id: string | null;
  program_id: string;
  period: string;
  amount_fen: number;
  prepared_by: string;
  rule_version: number;
  recorded_position: string;
  recorded_at: string;
}

const inFlightColumns: ColumnTypes = { disbursement_id: "text", prepared_by: "text" };
const queueColumns: ColumnTypes = {
  disbursement_id: "text",
  household_id: "text",
  member_id: "text",
  program_id: "text",
  period: "text",
  amount_fen: "bigint",
  prepared_by: "text",
  rule_version: "int",
  recorded_position: "bigint",
  recorded_at: "timestamptz",
};

/**
 * Payments waiting for a second signature, with who prepared them (an approver may not approve
 * their own). The preparer is in DisbursementInitiated; `approval_in_flight` keeps it only while
 * a payment has no answer yet, so the table stays as small as the number of payments in flight.
 */
export const approvalQueueProjection: Projection = {
  name: APPROVAL_QUEUE,
  tables: ["approval_in_flight", "approval_queue"],
  async createTables(trx: Transaction<any>) {
    await sql`create table approval_in_flight (disbursement_id text primary key, prepared_by text not null)`.execute(trx);
    await sql`
      create table approval_queue (
        disbursement_id text primary key,
        household_id text not null,
        member_id text,
        program_id text not null,
        period text not null,
        amount_fen bigint not null,
        prepared_by text not null,
        rule_version int not null,
        recorded_position bigint not null,
        recorded_at timestamptz not null
      )`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const inFlight = new BatchState<InFlightRow | null>();
    const initiatedHere = new Set<string>();
    const answered: string[] = [];
    for (const e of events) {
      if (e.type === "DisbursementInitiated") initiatedHere.add(e.data.request.disbursementId);
      else if ((e.type === "DisbursementRecorded" || e.type === "DisbursementRefused") && !initiatedHere.has(e.data.disbursementId)) {
        answered.push(e.data.disbursementId);
      }
    }
    await preload(inFlight, answered, async (ids) =>
      (await selectByKeys<InFlightRow>(trx, "approval_in_flight", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    const queued = new Map<string, QueueRow | null>();
    for (const e of events) {
      switch (e.type) {
        case "DisbursementInitiated":
          inFlight.set(e.data.request.disbursementId, { disbursement_id: e.data.request.disbursementId, prepared_by: e.data.preparedBy });
          break;
        case "DisbursementRecorded": {
          const d = e.data;
          const preparer = inFlight.get(d.disbursementId);
          inFlight.set(d.disbursementId, null);
          if (d.status !== "pending_approval") break;
          queued.set(d.disbursementId, {
            disbursement_id: d.disbursementId,
            household_id: d.householdId,
            member_id: d.memberId,
            program_id: d.programId,
            period: d.period,
            amount_fen: d.amountFen,
            // The saga's metadata names the officer too; the initiated event is the authority.
            prepared_by: preparer?.prepared_by ?? String(e.metadata?.actor ?? "unknown"),
            rule_version: d.ruleVersion,
            recorded_position: e.position.toString(),
            recorded_at: isoTime(e.recordedAt),
          });
          break;
        }
        case "DisbursementRefused":
          inFlight.set(e.data.disbursementId, null);
          break;
        case "DisbursementApproved":
        case "DisbursementRejected":
          queued.set(e.data.disbursementId, null);
          break;
        default:
          break;
      }
    }

    const stillInFlight: InFlightRow[] = [];
    const settled: string[] = [];
    for (const id of inFlight.touched) {
      const row = inFlight.get(id);
      if (row) stillInFlight.push(row);
      else settled.push(id);
    }
    await deleteByKeys(trx, "approval_in_flight", "disbursement_id", settled);
    await upsertRows(trx, "approval_in_flight", inFlightColumns, stillInFlight, { key: ["disbursement_id"], set: {} });
    const removed = [...queued].filter(([, row]) => row === null).map(([id]) => id);
    const added = [...queued.values()].filter((row): row is QueueRow => row !== null);
    await deleteByKeys(trx, "approval_queue", "disbursement_id", removed);
    await upsertRows(trx, "approval_queue", queueColumns, added, { key: ["disbursement_id"], set: "all" });
  },
};
