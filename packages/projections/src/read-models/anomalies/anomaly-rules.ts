/**
 * The anomaly rules of issue 7. Event-driven rules are kept by the projection as the log is
 * folded; time-based rules (marked) are judged at query time against an `asOf` date, so the
 * projection never reads a clock and a replay gives the same rows.
 */
export const anomalyRules = [
  /** Two counted payments of one beneficiary, program and period (slot key, or claim for medical aid). */
  "duplicate_payment",
  /** A payment refused because it exceeded the program's per-household cap. */
  "cap_breach",
  /** A payment refused with budget_exceeded. */
  "budget_overrun_attempt",
  /** A counted payment on a date the household was exited (beyond post-exit support) or not registered, also when a late status change made it so; and refused attempts to pay one. */
  "ineligible_household",
  /** A payment naming a member who is not in the household (refused attempt, or recorded). */
  "member_not_in_household",
  /** One bank account (blind index) on several households. */
  "shared_bank_account",
  /** Time-based: an enterprise dividend on a stake past its due date, unpaid. */
  "dividend_overdue",
  /** Time-based: an enterprise-use loan's annual dividend past its anniversary, unpaid. */
  "loan_dividend_overdue",
  /** An open dispute case: a verification found the money not received or a different amount. */
  "payment_disputed",
  /** Time-based: a counted payment with no verification N days after it was paid. */
  "payment_unverified",
] as const;
export type AnomalyRule = (typeof anomalyRules)[number];
