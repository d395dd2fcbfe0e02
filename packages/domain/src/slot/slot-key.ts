/**
 * A slot is "one payment per program, beneficiary and period" (invariant 2), kept in its own
 * stream `slot-<programId>:<beneficiaryId>:<period>` so that claiming it is one optimistic append.
 * The beneficiary is the household, or the member for per-person programs. Payments tied to an
 * asset use the asset: a stake's dividend is per stake and year; a loan's interest subsidy per loan
 * and period, and its dividend `<loanId>:dividend` per year, so both can fall in the same year.
 * Ids cannot contain ":", so a key has three parts, or four for a loan dividend, and never collides.
 * (Not "#": the key is part of a stream name, and stream names may not contain it.)
 */
export function slotKey(programId: string, beneficiaryId: string, period: string): string {
  return `${programId}:${beneficiaryId}:${period}`;
}
