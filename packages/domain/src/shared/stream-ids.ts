/** Stream names are `<category>-<id>`; these helpers are the only place that spells them. */
export const streamIds = {
  household: (householdId: string) => `household-${householdId}`,
  program: (programId: string) => `program-${programId}`,
  slot: (slotKey: string) => `slot-${slotKey}`,
  disbursement: (disbursementId: string) => `disbursement-${disbursementId}`,
  stake: (stakeId: string) => `stake-${stakeId}`,
  loan: (loanId: string) => `loan-${loanId}`,
  /**
   * The verification record of one payment, keyed by the disbursement id (not the verification
   * id): a dispute case spans the finding that opens it and the follow-up that closes it, so
   * both must be in one stream to decide "at most one open case" with one optimistic append.
   */
  verification: (disbursementId: string) => `verification-${disbursementId}`,
} as const;

export type StreamCategory = keyof typeof streamIds;

/** Splits a stream name into category and id (ids may contain "-"); null if the category is unknown. */
export function parseStreamId(streamId: string): { category: StreamCategory; id: string } | null {
  const dash = streamId.indexOf("-");
  if (dash <= 0) return null;
  const category = streamId.slice(0, dash);
  if (!(category in streamIds)) return null;
  return { category: category as StreamCategory, id: streamId.slice(dash + 1) };
}
