import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import type { Balance } from "../balances/queries.js";
import { type PaymentState, type PaymentTotals, paymentStepOf, stepPayment, zeroTotals } from "../shared/payment-ledger.js";
import { HOUSEHOLD_FILE } from "./projection.js";

/**
 * A point in history: a global position (everything at or before it in global order), or a
 * time (events recorded at or before it; `recordedAt` is kept to the millisecond).
 */
export type AsOf = { position: bigint } | { time: Date };

export interface FileEntry {
  /** The writing transaction's xid8, as text: with `position` it is the global order. */
  transactionId: string;
  position: bigint;
  streamId: string;
  revision: number;
  type: string;
  recordedAt: Date;
  /** Business time from the event's metadata. */
  occurredAt: string | null;
  actor: string | null;
  disbursementId: string | null;
  programId: string | null;
  amountFen: number | null;
  summary: Record<string, unknown>;
}

/** 一户一档: every event about the household, oldest first, optionally as it stood at `asOf`. */
export async function householdFile(db: Kysely<any>, householdId: string, options: { asOf?: AsOf } = {}): Promise<FileEntry[]> {
  let query = db
    .withSchema(liveSchema(HOUSEHOLD_FILE))
    .selectFrom("household_file")
    .select([
      sql<string>`transaction_id::text`.as("transaction_id"),
      "position",
      "stream_id",
      "revision",
      "event_type",
      "recorded_at",
      "occurred_at",
      "actor",
      "disbursement_id",
      "program_id",
      "amount_fen",
      sql<Record<string, unknown>>`summary::jsonb`.as("summary"),
    ])
    .where("household_id", "=", householdId);
  if (options.asOf && "time" in options.asOf) {
    query = query.where("recorded_at", "<=", options.asOf.time);
  } else if (options.asOf) {
    const bound = await globalBound(db, options.asOf.position);
    if (!bound) return [];
    query = query.where(sql<boolean>`(transaction_id, position) <= (${bound.transactionId}::xid8, ${bound.position}::bigint)`);
  }
  const rows = await query.orderBy("transaction_id").orderBy("position").execute();
  return rows.map((r) => ({
    transactionId: r.transaction_id,
    position: BigInt(r.position),
    streamId: r.stream_id,
    revision: r.revision,
    type: r.event_type,
    recordedAt: r.recorded_at,
    occurredAt: r.occurred_at,
    actor: r.actor,
    disbursementId: r.disbursement_id,
    programId: r.program_id,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    summary: r.summary,
  }));
}

/**
 * The global-order point of position P: P's own transaction id. Positions are handed out at
 * insert, so a later position can commit earlier; comparing (transaction_id, position) and not
 * position alone is what makes "at or before P" the order the projector applied. A position
 * that is no event (a gap) resolves to the nearest event below it.
 */
async function globalBound(db: Kysely<any>, position: bigint): Promise<{ transactionId: string; position: string } | null> {
  const { rows } = await sql<{ transaction_id: string; position: string }>`
    select transaction_id::text, position from events where position <= ${position.toString()}::bigint
    order by position desc limit 1`.execute(db);
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, position: String(row.position) } : null;
}

/** Balances per program as they stood at `asOf`, folded from the household file with the same ledger as the balances read model. */
export async function balancesAsOf(db: Kysely<any>, householdId: string, asOf?: AsOf): Promise<Balance[]> {
  const entries = await householdFile(db, householdId, asOf ? { asOf } : {});
  const states = new Map<string, PaymentState>();
  const totals = new Map<string, PaymentTotals>();
  for (const entry of entries) {
    const step = paymentStepOf(entry.type, String(entry.summary.status ?? ""));
    if (!step || entry.disbursementId === null || entry.programId === null || entry.amountFen === null) continue;
    const t = totals.get(entry.programId) ?? zeroTotals();
    const before = step.kind === "recorded" ? undefined : states.get(entry.disbursementId);
    if (step.kind !== "recorded" && before === undefined) continue;
    const next = stepPayment(before, step, entry.amountFen, t);
    if (next === undefined) continue;
    states.set(entry.disbursementId, next);
    totals.set(entry.programId, t);
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([programId, t]) => ({
      programId,
      paidFen: t.paidFen,
      reversedFen: t.reversedFen,
      netFen: t.paidFen - t.reversedFen,
      pendingFen: t.pendingFen,
      payments: t.payments,
      reversals: t.reversals,
    }));
}
