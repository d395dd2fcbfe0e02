import { InputsInvalid } from "@aidtrail/domain";

/** The personal data SPEC.md requires sealed: national id numbers and bank account numbers. */
export type PiiField = "nationalId" | "bankAccount";

/**
 * One spelling per value, so the blind index finds duplicates that differ only by spaces,
 * dashes or a lower-case check letter. Refuses what cannot be such a number.
 */
export function normalisePii(field: PiiField, clear: string): string {
  const compact = clear.replace(/[\s-]/gu, "").toUpperCase();
  if (field === "nationalId") {
    // 18 characters (17 digits and a check digit that may be X), or the old 15-digit form.
    if (!/^(\d{17}[\dX]|\d{15})$/u.test(compact)) throw new InputsInvalid("nationalId must be 18 (or 15) digits, the last may be X");
    return compact;
  }
  if (!/^\d{8,34}$/u.test(compact)) throw new InputsInvalid("bankAccount must be 8 to 34 digits");
  return compact;
}

/** What responses show: the first and last four characters, e.g. `3201**********1234`. */
export function maskPii(normalised: string): string {
  if (normalised.length <= 8) return `${"*".repeat(Math.max(0, normalised.length - 2))}${normalised.slice(-2)}`;
  return `${normalised.slice(0, 4)}${"*".repeat(normalised.length - 8)}${normalised.slice(-4)}`;
}
