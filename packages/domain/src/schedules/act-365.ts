import { floorDiv } from "../shared/fen.js";

/**
 * Day count ACT/365 Fixed (the convention of PBoC-benchmarked RMB loans):
 * interest = principal × annual rate × actual days / 365, whatever the year's length,
 * so a leap year's 366 days earn 366/365 of a year's interest. Computed exactly in bigint and
 * floored once to whole fen — the borrower is never charged (nor subsidised) a fraction.
 */
export function act365InterestFen(principalFen: number, annualRateBps: number, days: number): number {
  if (!Number.isSafeInteger(principalFen) || !Number.isSafeInteger(annualRateBps) || !Number.isSafeInteger(days) || days < 0) {
    throw new RangeError("act365InterestFen takes non-negative integers");
  }
  return floorDiv(BigInt(principalFen) * BigInt(annualRateBps) * BigInt(days), 10_000n * 365n);
}

/** share (bps) of an amount, floored to fen. */
export function shareOfFen(amountFen: number, shareBps: number): number {
  return floorDiv(BigInt(amountFen) * BigInt(shareBps), 10_000n);
}
