import type { Kysely } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { APPROVAL_QUEUE } from "./projection.js";

export interface PendingApproval {
  disbursementId: string;
  householdId: string;
  memberId: string | null;
  programId: string;
  period: string;
  amountFen: number;
  preparedBy: string;
  ruleVersion: number;
  recordedPosition: bigint;
  recordedAt: Date;
}

/** Payments waiting for a second signature, oldest first; optionally of one program. */
export async function approvalQueue(db: Kysely<any>, options: { programId?: string } = {}): Promise<PendingApproval[]> {
  let query = db.withSchema(liveSchema(APPROVAL_QUEUE)).selectFrom("approval_queue").selectAll();
  if (options.programId !== undefined) query = query.where("program_id", "=", options.programId);
  const rows = await query.orderBy("recorded_position").execute();
  return rows.map((r) => ({
    disbursementId: r.disbursement_id,
    householdId: r.household_id,
    memberId: r.member_id,
    programId: r.program_id,
    period: r.period,
    amountFen: Number(r.amount_fen),
    preparedBy: r.prepared_by,
    ruleVersion: r.rule_version,
    recordedPosition: BigInt(r.recorded_position),
    recordedAt: r.recorded_at,
  }));
}
