import { fromBase64 } from "./bytes.js";
import { openCheckpoint, type VerifiedCheckpoint } from "./checkpoint.js";
import { verifyConsistency } from "./consistency.js";
import { VerificationError } from "./errors.js";
import type { NoteVerifierKey } from "./signed-note.js";

/**
 * Verifies that a newer signed checkpoint extends an older one of the same log, with
 * both sizes taken from the signed checkpoints; `proof` is base64 hashes.
 */
export async function verifyCheckpointConsistency(
  olderNote: string,
  newerNote: string,
  proof: readonly string[],
  trustedKeys: readonly (string | NoteVerifierKey)[],
): Promise<{ older: VerifiedCheckpoint; newer: VerifiedCheckpoint }> {
  const older = await openCheckpoint(olderNote, trustedKeys);
  const newer = await openCheckpoint(newerNote, trustedKeys, older.origin);
  const hashes = proof.map((h, i) => {
    try {
      return fromBase64(h);
    } catch {
      throw new VerificationError("malformed", `consistency proof[${i}] is not base64`);
    }
  });
  await verifyConsistency(older.size, newer.size, hashes, older.root, newer.root);
  return { older, newer };
}
