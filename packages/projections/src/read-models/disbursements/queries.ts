import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { DISBURSEMENTS, type DisbursementStatus } from "./projection.js";

export interface Disbursement {
  disbursementId: string;
  status: DisbursementStatus;
  householdId: string;
  memberId: string | null;
  programId: string;
  period: string;
  requestedAmountFen: number;
  /** The recorded amount; null until recorded (or when refused). */
  amountFen: number | null;
  paidOn: string;
  channel: string;
  reference: string;
  preparedBy: string;
  ruleVersion: number | null;
  inputs: Record<string, unknown> | null;
  slotKey: string | null;
  refusal: { code: string; message: string } | null;
  approvedBy: string | null;
  rejectedBy: string | null;
  reversedBy: string | null;
  /** Why it was rejected or reversed. */
  reason: string | null;
  positions: { initiated: bigint; recorded: bigint | null; decided: bigint | null; reversed: bigint | null };
  updatedAt: Date;
}

/** One disbursement by id, or null. */
export async function disbursementById(db: Kysely<any>, disbursementId: string): Promise<Disbursement | null> {
  const rows = await select(db).where("disbursement_id", "=", disbursementId).execute();
  return rows[0] ? toDisbursement(rows[0]) : null;
}

/** A household's disbursements, oldest first. */
export async function disbursementsOfHousehold(db: Kysely<any>, householdId: string): Promise<Disbursement[]> {
  const rows = await select(db).where("household_id", "=", householdId).orderBy("initiated_position").execute();
  return rows.map(toDisbursement);
}

function select(db: Kysely<any>) {
  return db
    .withSchema(liveSchema(DISBURSEMENTS))
    .selectFrom("disbursements")
    .selectAll()
    .select(sql<string>`paid_on::text`.as("paid_on_text"));
}

const big = (v: unknown) => (v === null ? null : BigInt(v as string));

function toDisbursement(r: Record<string, any>): Disbursement {
  return {
    disbursementId: r.disbursement_id,
    status: r.status,
    householdId: r.household_id,
    memberId: r.member_id,
    programId: r.program_id,
    period: r.period,
    requestedAmountFen: Number(r.requested_amount_fen),
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    paidOn: r.paid_on_text,
    channel: r.channel,
    reference: r.reference,
    preparedBy: r.prepared_by,
    ruleVersion: r.rule_version,
    inputs: r.inputs,
    slotKey: r.slot_key,
    refusal: r.refusal_code === null ? null : { code: r.refusal_code, message: r.refusal_message ?? "" },
    approvedBy: r.approved_by,
    rejectedBy: r.rejected_by,
    reversedBy: r.reversed_by,
    reason: r.reason,
    positions: {
      initiated: BigInt(r.initiated_position),
      recorded: big(r.recorded_position),
      decided: big(r.decided_position),
      reversed: big(r.reversed_position),
    },
    updatedAt: r.updated_at,
  };
}
