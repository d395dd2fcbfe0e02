import type { Kysely } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { PROGRAM_BUDGETS } from "./projection.js";

export interface ProgramBudget {
  programId: string;
  name: string | null;
  kind: string | null;
  fundingSource: string | null;
  ruleVersion: number | null;
  allocatedFen: number;
  allocations: number;
  /** Active reservations: paid, pending, in flight or awaiting release (the domain's reservedFen). */
  reservedFen: number;
  /** Paid, including payments later reversed. */
  paidFen: number;
  reversedFen: number;
  /** paid − reversed. */
  disbursedFen: number;
  /** Awaiting a second signature. */
  pendingFen: number;
  /** reserved − disbursed: held but not (or no longer) paid. */
  heldFen: number;
  /** allocated − reserved, as the domain's programBudget. */
  remainingFen: number;
  payments: number;
  reversals: number;
}

/** One program's budget, or null if the log has nothing of it. */
export async function programBudget(db: Kysely<any>, programId: string): Promise<ProgramBudget | null> {
  const rows = await select(db).where("program_id", "=", programId).execute();
  return rows[0] ? toBudget(rows[0]) : null;
}

/** Every program's budget, by program id. */
export async function programBudgets(db: Kysely<any>): Promise<ProgramBudget[]> {
  return (await select(db).orderBy("program_id").execute()).map(toBudget);
}

function select(db: Kysely<any>) {
  return db.withSchema(liveSchema(PROGRAM_BUDGETS)).selectFrom("program_budgets").selectAll();
}

function toBudget(r: Record<string, any>): ProgramBudget {
  return {
    programId: r.program_id,
    name: r.name,
    kind: r.kind,
    fundingSource: r.funding_source,
    ruleVersion: r.rule_version,
    allocatedFen: Number(r.allocated_fen),
    allocations: r.allocations,
    reservedFen: Number(r.reserved_fen),
    paidFen: Number(r.paid_fen),
    reversedFen: Number(r.reversed_fen),
    disbursedFen: Number(r.disbursed_fen),
    pendingFen: Number(r.pending_fen),
    heldFen: Number(r.held_fen),
    remainingFen: Number(r.remaining_fen),
    payments: r.payments,
    reversals: r.reversals,
  };
}
