import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { type DomainRecordedEvent, asDomainEvents, disbursementIdOf } from "../shared/domain-event.js";
import { isoTime } from "../shared/iso-time.js";
import { type ColumnTypes, selectByKeys, upsertRows } from "../shared/sql-rows.js";

export const DISBURSEMENTS = "disbursements";

/** An approved payment is `recorded` again, with `approved_by` set. */
export type DisbursementStatus = "initiated" | "recorded" | "pending_approval" | "refused" | "rejected" | "reversed";

export interface DisbursementRow {
  disbursement_id: string;
  status: DisbursementStatus;
  household_id: string;
  member_id: string | null;
  program_id: string;
  period: string;
  requested_amount_fen: number;
  amount_fen: number | null;
  paid_on: string;
  channel: string;
  reference: string;
  prepared_by: string;
  rule_version: number | null;
  inputs: Record<string, unknown> | null;
  slot_key: string | null;
  refusal_code: string | null;
  refusal_message: string | null;
  approved_by: string | null;
  rejected_by: string | null;
  reversed_by: string | null;
  reason: string | null;
  initiated_position: string | number;
  recorded_position: string | number | null;
  decided_position: string | number | null;
  reversed_position: string | number | null;
  /** Findings recorded by inspectors; the latest one's outcome, date and position. */
  verifications: number;
  last_outcome: string | null;
  last_visited_on: string | null;
  last_verification_position: string | number | null;
  /** The open dispute case (id = the verification that opened it), or null. */
  open_case_id: string | null;
  case_opened_position: string | number | null;
  updated_at: string;
}

const columns: ColumnTypes = {
  disbursement_id: "text",
  status: "text",
  household_id: "text",
  member_id: "text",
  program_id: "text",
  period: "text",
  requested_amount_fen: "bigint",
  amount_fen: "bigint",
  paid_on: "date",
  channel: "text",
  reference: "text",
  prepared_by: "text",
  rule_version: "int",
  inputs: "json",
  slot_key: "text",
  refusal_code: "text",
  refusal_message: "text",
  approved_by: "text",
  rejected_by: "text",
  reversed_by: "text",
  reason: "text",
  initiated_position: "bigint",
  recorded_position: "bigint",
  decided_position: "bigint",
  reversed_position: "bigint",
  verifications: "int",
  last_outcome: "text",
  last_visited_on: "date",
  last_verification_position: "bigint",
  open_case_id: "text",
  case_opened_position: "bigint",
  updated_at: "timestamptz",
};

/** The payment a verification-stream event is about. */
function verifiedIdOf(e: DomainRecordedEvent): string | null {
  return e.type === "VerificationRecorded" || e.type === "CaseOpened" || e.type === "CaseClosed" ? e.data.disbursementId : null;
}

/**
 * One row per disbursement id with its current status, what `GET /v1/disbursements/{id}` serves.
 * Verification columns come from the payment's verification stream (findings and dispute cases); `updated_at` is the
 * recorded time of the last event, never the clock, so a replay gives the same row.
 */
export const disbursementsProjection: Projection = {
  name: DISBURSEMENTS,
  tables: ["disbursements"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table disbursements (
        disbursement_id text primary key,
        status text not null,
        household_id text not null,
        member_id text,
        program_id text not null,
        period text not null,
        requested_amount_fen bigint not null,
        amount_fen bigint,
        paid_on date not null,
        channel text not null,
        reference text not null,
        prepared_by text not null,
        rule_version int,
        inputs json, -- only read whole (cast to jsonb by queries.ts): cheaper to load than jsonb
        slot_key text,
        refusal_code text,
        refusal_message text,
        approved_by text,
        rejected_by text,
        reversed_by text,
        reason text,
        initiated_position bigint not null,
        recorded_position bigint,
        decided_position bigint,
        reversed_position bigint,
        verifications int not null default 0,
        last_outcome text,
        last_visited_on date,
        last_verification_position bigint,
        open_case_id text,
        case_opened_position bigint,
        updated_at timestamptz not null
      )`.execute(trx);
    await sql`create index disbursements_household on disbursements (household_id, program_id)`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const state = new BatchState<DisbursementRow>();
    const initiatedHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      if (e.type === "DisbursementInitiated") initiatedHere.add(e.data.request.disbursementId);
      else {
        const id = disbursementIdOf(e) ?? verifiedIdOf(e);
        if (id !== null && !initiatedHere.has(id)) referenced.push(id);
      }
    }
    await preload(state, referenced, async (ids) =>
      (await selectByKeys<DisbursementRow>(trx, "disbursements", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    // Rows are this batch's own (made here or read for it): each step sets its columns in place
    // instead of copying a 32-column row per event.
    for (const e of events) {
      if (e.type === "DisbursementInitiated") {
        const r = e.data.request;
        const position = e.position.toString();
        state.set(r.disbursementId, {
          disbursement_id: r.disbursementId,
          status: "initiated",
          household_id: r.householdId,
          member_id: r.memberId ?? null,
          program_id: r.programId,
          period: r.period,
          requested_amount_fen: r.amountFen,
          amount_fen: null,
          paid_on: r.paidOn,
          channel: r.channel,
          reference: r.reference,
          prepared_by: e.data.preparedBy,
          rule_version: null,
          inputs: null,
          slot_key: null,
          refusal_code: null,
          refusal_message: null,
          approved_by: null,
          rejected_by: null,
          reversed_by: null,
          reason: null,
          initiated_position: position,
          recorded_position: null,
          decided_position: null,
          reversed_position: null,
          verifications: 0,
          last_outcome: null,
          last_visited_on: null,
          last_verification_position: null,
          open_case_id: null,
          case_opened_position: null,
          updated_at: isoTime(e.recordedAt),
        });
        continue;
      }
      const id = disbursementIdOf(e) ?? verifiedIdOf(e);
      const row = id === null ? undefined : state.get(id);
      if (!row) continue;
      const position = e.position.toString();
      switch (e.type) {
        case "DisbursementRecorded":
          row.status = e.data.status;
          row.member_id = e.data.memberId;
          row.period = e.data.period;
          row.amount_fen = e.data.amountFen;
          row.rule_version = e.data.ruleVersion;
          row.inputs = e.data.inputs;
          row.slot_key = e.data.slotKey;
          row.recorded_position = position;
          break;
        case "DisbursementRefused":
          row.status = "refused";
          row.refusal_code = e.data.code;
          row.refusal_message = e.data.message;
          row.decided_position = position;
          break;
        case "DisbursementApproved":
          row.status = "recorded";
          row.approved_by = e.data.by;
          row.decided_position = position;
          break;
        case "DisbursementRejected":
          row.status = "rejected";
          row.rejected_by = e.data.by;
          row.reason = e.data.reason;
          row.decided_position = position;
          break;
        case "DisbursementReversed":
          row.status = "reversed";
          row.reversed_by = e.data.by;
          row.reason = e.data.reason;
          row.reversed_position = position;
          break;
        case "VerificationRecorded":
          row.verifications = Number(row.verifications) + 1;
          row.last_outcome = e.data.outcome;
          row.last_visited_on = e.data.visitedOn;
          row.last_verification_position = position;
          break;
        case "CaseOpened":
          row.open_case_id = e.data.caseId;
          row.case_opened_position = position;
          break;
        case "CaseClosed":
          row.open_case_id = null;
          row.case_opened_position = null;
          break;
        default:
          continue;
      }
      row.updated_at = isoTime(e.recordedAt);
      state.set(row.disbursement_id, row);
    }
    await upsertRows(trx, "disbursements", columns, state.changed(), { key: ["disbursement_id"], set: "all" });
  },
};
