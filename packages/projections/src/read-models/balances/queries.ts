import type { Kysely } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { BALANCES } from "./projection.js";

/** What one household received under one program, in fen. */
export interface Balance {
  programId: string;
  paidFen: number;
  reversedFen: number;
  netFen: number;
  /** Awaiting a second signature; not in `paidFen` yet. */
  pendingFen: number;
  payments: number;
  reversals: number;
}

/** Balances of a household, one per program it was ever paid (or is pending) under, by program id. */
export async function householdBalances(db: Kysely<any>, householdId: string): Promise<Balance[]> {
  const rows = await db
    .withSchema(liveSchema(BALANCES))
    .selectFrom("balances")
    .select(["program_id", "paid_fen", "reversed_fen", "net_fen", "pending_fen", "payments", "reversals"])
    .where("household_id", "=", householdId)
    .orderBy("program_id")
    .execute();
  return rows.map((r) => ({
    programId: r.program_id,
    paidFen: Number(r.paid_fen),
    reversedFen: Number(r.reversed_fen),
    netFen: Number(r.net_fen),
    pendingFen: Number(r.pending_fen),
    payments: r.payments,
    reversals: r.reversals,
  }));
}
