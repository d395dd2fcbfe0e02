import { z } from "zod";
import { AmountInvalid } from "./errors.js";

/**
 * Money is integer fen (1 yuan = 100 fen), never floating point: a JS number is exact up to
 * 2^53, so a safe integer is required. Floats (12.5), NaN, Infinity and strings are refused.
 */
export const Fen = z.int();
/** An amount that is paid: strictly positive. */
export const PositiveFen = z.int().positive();
/** A limit, threshold or remainder: zero allowed. */
export const NonNegativeFen = z.int().nonnegative();

export type Fen = number;

/** Integer yuan to fen; refuses fractional yuan so no rounding ever hides in a conversion. */
export function fenFromYuan(yuan: number): Fen {
  if (!Number.isSafeInteger(yuan)) throw new AmountInvalid("yuan", yuan, "an integer");
  return requireSafe("fen", yuan * 100);
}

/** Throws amount_invalid unless `value` is a strictly positive safe integer. */
export function requirePositiveFen(field: string, value: unknown): Fen {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new AmountInvalid(field, value, "a positive integer");
  }
  return value;
}

/** Throws amount_invalid unless `value` is a safe integer ≥ 0. */
export function requireNonNegativeFen(field: string, value: unknown): Fen {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new AmountInvalid(field, value, "a non-negative integer");
  }
  return value;
}

/** Guards the result of fen arithmetic (sums of budgets) against silently leaving exact range. */
export function requireSafe(field: string, value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new AmountInvalid(field, value, "a safe integer");
  return value;
}

/** floor(numerator / denominator) on bigint, for non-negative operands; returns a safe-integer fen. */
export function floorDiv(numerator: bigint, denominator: bigint): Fen {
  if (numerator < 0n || denominator <= 0n) throw new RangeError("floorDiv expects numerator ≥ 0, denominator > 0");
  const q = numerator / denominator; // bigint division truncates, which is floor for non-negative operands
  return requireSafe("fen", Number(q));
}
