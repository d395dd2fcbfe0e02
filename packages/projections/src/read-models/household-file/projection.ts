import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents, disbursementIdOf } from "../shared/domain-event.js";
import { isoTime } from "../shared/iso-time.js";
import { type ColumnTypes, selectByKeys, upsertRows } from "../shared/sql-rows.js";
import { summarize } from "./summarize.js";

export const HOUSEHOLD_FILE = "household_file";

interface FileDisbursementRow {
  disbursement_id: string;
  household_id: string;
  program_id: string;
  amount_fen: number;
}

/** A household_file row as written. */
interface FileEntryRow {
  household_id: string;
  transaction_id: string;
  position: string;
  stream_id: string;
  revision: number;
  event_type: string;
  recorded_at: string;
  occurred_at: string | null;
  actor: string | null;
  disbursement_id: string | null;
  program_id: string | null;
  amount_fen: number | null;
  summary: object;
}

const fileColumns: ColumnTypes = {
  household_id: "text",
  transaction_id: "xid8",
  position: "bigint",
  stream_id: "text",
  revision: "int",
  event_type: "text",
  recorded_at: "timestamptz",
  occurred_at: "text",
  actor: "text",
  disbursement_id: "text",
  program_id: "text",
  amount_fen: "bigint",
  summary: "json",
};

const disbursementColumns: ColumnTypes = {
  disbursement_id: "text",
  household_id: "text",
  program_id: "text",
  amount_fen: "bigint",
};

/**
 * 一户一档: every event about a household in global order — its own stream, its stakes and
 * loans, and every step of its disbursements (linked by the request of DisbursementInitiated,
 * remembered in `file_disbursements` because later steps carry only the disbursement id).
 * Budget and slot events are bookkeeping of the program and are not in the file.
 */
export const householdFileProjection: Projection = {
  name: HOUSEHOLD_FILE,
  tables: ["file_disbursements", "household_file"],
  appendOnly: ["household_file"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table file_disbursements (
        disbursement_id text primary key,
        household_id text not null,
        program_id text not null,
        amount_fen bigint not null
      )`.execute(trx);
    await sql`
      create table household_file (
        household_id text not null,
        transaction_id xid8 not null,
        position bigint not null,
        stream_id text not null,
        revision int not null,
        event_type text not null,
        recorded_at timestamptz not null,
        occurred_at text,
        actor text,
        disbursement_id text,
        program_id text,
        amount_fen bigint,
        summary json not null,
        primary key (household_id, transaction_id, position)
      )`.execute(trx);
    // summary is json, not jsonb: written once per entry and only ever read whole (queries.ts
    // cast it to jsonb, so answers keep jsonb's key order); parsing it into jsonb was ~1/3 of
    // PostgreSQL's cost of loading the table.
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const disbursements = new BatchState<FileDisbursementRow>();
    const initiatedHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      if (e.type === "DisbursementInitiated") initiatedHere.add(e.data.request.disbursementId);
      else {
        const id = disbursementIdOf(e);
        if (id !== null && !initiatedHere.has(id)) referenced.push(id);
      }
    }
    await preload(disbursements, referenced, async (ids) =>
      (await selectByKeys<FileDisbursementRow>(trx, "file_disbursements", "disbursement_id", ids)).map((r) => [r.disbursement_id, r]),
    );

    const entries: FileEntryRow[] = [];
    // Events of one transaction share its id and recorded time: each is formatted once.
    let transactionId: bigint | undefined;
    let transactionText = "";
    let recordedMs = Number.NaN;
    let recordedText = "";
    for (const e of events) {
      let householdId: string;
      let disbursementId: string | null = null;
      let link: FileDisbursementRow | undefined;
      switch (e.type) {
        case "HouseholdRegistered":
        case "HouseholdStatusChanged":
        case "MemberCorrected":
        case "MemberAdded":
        case "StakeRecorded":
        case "LoanRecorded":
        case "VerificationRecorded":
        case "CaseOpened":
        case "CaseClosed":
          householdId = e.data.householdId;
          break;
        case "DisbursementInitiated": {
          const r = e.data.request;
          disbursementId = r.disbursementId;
          link = { disbursement_id: r.disbursementId, household_id: r.householdId, program_id: r.programId, amount_fen: r.amountFen };
          disbursements.set(disbursementId, link);
          householdId = link.household_id;
          break;
        }
        case "DisbursementRecorded":
        case "DisbursementRefused":
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed":
          disbursementId = e.data.disbursementId;
          link = disbursements.get(disbursementId);
          if (link === undefined) continue;
          if (e.type === "DisbursementRecorded") {
            // The recorded amount is what later approvals and reversals move. The row is this
            // batch's own (made above or read by this batch's query): changed in place.
            link.amount_fen = e.data.amountFen;
            disbursements.set(disbursementId, link);
          }
          householdId = link.household_id;
          break;
        default:
          continue;
      }
      if (e.transactionId !== transactionId) {
        transactionId = e.transactionId;
        transactionText = transactionId.toString();
      }
      const recorded = e.recordedAt.getTime();
      if (recorded !== recordedMs) {
        recordedMs = recorded;
        recordedText = isoTime(e.recordedAt);
      }
      const metadata = e.metadata;
      entries.push({
        household_id: householdId,
        transaction_id: transactionText,
        position: e.position.toString(),
        stream_id: e.streamId,
        revision: e.revision,
        event_type: e.type,
        recorded_at: recordedText,
        occurred_at: typeof metadata?.occurredAt === "string" ? metadata.occurredAt : null,
        actor: typeof metadata?.actor === "string" ? metadata.actor : null,
        disbursement_id: disbursementId,
        program_id: link?.program_id ?? null,
        amount_fen: link?.amount_fen ?? null,
        summary: summarize(e),
      });
    }
    await upsertRows(trx, "file_disbursements", disbursementColumns, disbursements.changed(), { key: ["disbursement_id"], set: { amount_fen: "excluded.amount_fen" } });
    // A retried batch after a crash is a new transaction from the same checkpoint, so rows are
    // never seen twice; "do nothing" only documents that an entry, once written, is final.
    await upsertRows(trx, "household_file", fileColumns, entries, { key: ["household_id", "transaction_id", "position"], set: {} });
  },
};
