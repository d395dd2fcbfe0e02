import type { Kysely } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { PROGRAM_VILLAGE_SUMMARY } from "./projection.js";

export interface SummaryRow {
  programId: string;
  villageId: string;
  period: string;
  households: number;
  persons: number;
  payments: number;
  amountFen: number;
}

/**
 * The summary per program × village × period, optionally for some programs or periods.
 * Sums over several periods are exact for payments and amounts; distinct counts are per period.
 */
export async function programVillageSummary(db: Kysely<any>, filter: { programId?: string; periods?: readonly string[] } = {}): Promise<SummaryRow[]> {
  let query = db.withSchema(liveSchema(PROGRAM_VILLAGE_SUMMARY)).selectFrom("program_village_summary").selectAll();
  if (filter.programId !== undefined) query = query.where("program_id", "=", filter.programId);
  if (filter.periods !== undefined) {
    if (filter.periods.length === 0) return [];
    query = query.where("period", "in", [...filter.periods]);
  }
  const rows = await query.orderBy("program_id").orderBy("village_id").orderBy("period").execute();
  return rows.map((r) => ({
    programId: r.program_id,
    villageId: r.village_id,
    period: r.period,
    households: r.households,
    persons: r.persons,
    payments: r.payments,
    amountFen: Number(r.amount_fen),
  }));
}
