import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { HOUSEHOLD_PROFILE } from "../household-profile/projection.js";
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
  /** Inspectors' findings: how many, the latest, and the open dispute case if any. */
  verification: {
    count: number;
    lastOutcome: string | null;
    lastVisitedOn: string | null;
    lastPosition: bigint | null;
    openCase: { caseId: string; openedPosition: bigint } | null;
  };
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
    .select(sql<string>`paid_on::text`.as("paid_on_text"))
    .select(sql<Record<string, unknown> | null>`inputs::jsonb`.as("inputs_jsonb"))
    .select(sql<string | null>`last_visited_on::text`.as("last_visited_on_text"));
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
    inputs: r.inputs_jsonb,
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
    verification: {
      count: r.verifications,
      lastOutcome: r.last_outcome,
      lastVisitedOn: r.last_visited_on_text,
      lastPosition: big(r.last_verification_position),
      openCase: r.open_case_id === null ? null : { caseId: r.open_case_id, openedPosition: BigInt(r.case_opened_position) },
    },
    updatedAt: r.updated_at,
  };
}

export interface PaidDisbursement {
  disbursementId: string;
  householdId: string;
  villageId: string;
  programId: string;
  amountFen: number;
  paidOn: string;
  verifications: number;
}

/**
 * Payments whose money went out (recorded or approved, not reversed) with their household's
 * village, paid within [paidFrom, paidTo]: the population field visits are sampled from.
 */
export async function paidDisbursements(db: Kysely<any>, filter: { paidFrom: string; paidTo: string; villageId?: string }): Promise<PaidDisbursement[]> {
  const d = sql.id(liveSchema(DISBURSEMENTS), "disbursements");
  const p = sql.id(liveSchema(HOUSEHOLD_PROFILE), "household_profile");
  const village = filter.villageId === undefined ? sql`` : sql`and p.village_id = ${filter.villageId}`;
  const { rows } = await sql<Record<string, any>>`
    select d.disbursement_id, d.household_id, p.village_id, d.program_id, d.amount_fen, d.paid_on::text as paid_on, d.verifications
    from ${d} d join ${p} p on p.household_id = d.household_id
    where d.status = 'recorded' and d.paid_on between ${filter.paidFrom}::date and ${filter.paidTo}::date ${village}
    order by d.disbursement_id`.execute(db);
  return rows.map((r) => ({
    disbursementId: r.disbursement_id,
    householdId: r.household_id,
    villageId: r.village_id,
    programId: r.program_id,
    amountFen: Number(r.amount_fen),
    paidOn: r.paid_on,
    verifications: r.verifications,
  }));
}
