import { z } from "zod";

/**
 * Personal data as the domain sees it: already encrypted by the handler (envelope encryption,
 * one data key per household). `sealed` is the ciphertext, `blindIndex` a keyed hash used to find
 * duplicates without decrypting, `masked` what responses show. The domain validates shape only.
 */
export const SealedPii = z.strictObject({
  sealed: z.string().min(1),
  blindIndex: z.string().min(1),
  masked: z.string().min(1),
});
export type SealedPii = z.infer<typeof SealedPii>;

/** Two sealings of the same clear value differ (fresh IVs); the blind index is what identifies it. */
export function samePii(a: SealedPii | undefined, b: SealedPii | undefined): boolean {
  return a?.blindIndex === b?.blindIndex;
}
