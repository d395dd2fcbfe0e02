import { VerificationError } from "./errors.js";
import { HASH_SIZE } from "./hash.js";

// Sizes and indexes are safe integers, so bit tricks on 32-bit ints would be wrong
// past 2^32 leaves; these helpers use plain arithmetic instead.

/** Whether the lowest bit of n is set. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** n >> 1 for any safe non-negative integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** Whether n is an exact power of two (n ≥ 1). */
export function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** Rejects anything that is not a non-negative safe integer. */
export function assertTreeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new VerificationError("malformed", `${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** Rejects hashes that are not exactly 32 bytes. */
export function assertHash(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new VerificationError("malformed", `${what} must be ${HASH_SIZE} bytes`);
  }
}
