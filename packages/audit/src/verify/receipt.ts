import { fromBase64, toBase64 } from "./bytes.js";
import { assertCanonicalEvent, type CanonicalEvent } from "./canonical-event.js";
import { canonicalJsonBytes } from "./canonical-json.js";
import { openCheckpoint } from "./checkpoint.js";
import { VerificationError } from "./errors.js";
import { leafHash } from "./hash.js";
import { verifyInclusion } from "./inclusion.js";
import type { NoteVerifierKey } from "./signed-note.js";

/**
 * A self-contained proof that one event is in the log: verifiable offline with only
 * the log's verifier key.
 */
export interface Receipt {
  readonly version: 1;
  readonly event: CanonicalEvent;
  readonly leafIndex: number;
  /** Informational; verification takes the size from the signed checkpoint. */
  readonly treeSize: number;
  /** Base64 hashes of the RFC 9162 inclusion path, leaf side first. */
  readonly inclusionProof: readonly string[];
  /** The signed checkpoint note the proof leads to. */
  readonly checkpoint: string;
}

/** What a valid receipt establishes. */
export interface VerifiedReceipt {
  readonly event: CanonicalEvent;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly origin: string;
  /** Base64 root hash of the signed checkpoint. */
  readonly root: string;
  readonly verifiedBy: readonly string[];
}

/** Options for receipt verification. */
export interface VerifyReceiptOptions {
  /** Require the checkpoint to come from this log. */
  readonly origin?: string;
}

/**
 * Verifies a receipt (parsed JSON, untrusted): the checkpoint must carry a valid
 * signature by a trusted key, and the event's leaf must be included in the tree it
 * commits to, with the tree size taken from the signed checkpoint only.
 */
export async function verifyReceipt(
  receipt: unknown,
  trustedKeys: readonly (string | NoteVerifierKey)[],
  options: VerifyReceiptOptions = {},
): Promise<VerifiedReceipt> {
  const r = assertReceiptShape(receipt);
  const checkpoint = await openCheckpoint(r.checkpoint, trustedKeys, options.origin);
  if (r.treeSize !== checkpoint.size) {
    throw new VerificationError("size_mismatch", `receipt says size ${r.treeSize}, checkpoint signs ${checkpoint.size}`);
  }
  const proof = r.inclusionProof.map((h, i) => {
    try {
      return fromBase64(h);
    } catch {
      throw new VerificationError("malformed", `receipt: inclusionProof[${i}] is not base64`);
    }
  });
  const leaf = await leafHash(canonicalJsonBytes(r.event));
  await verifyInclusion(leaf, r.leafIndex, checkpoint.size, proof, checkpoint.root);
  return {
    event: r.event,
    leafIndex: r.leafIndex,
    treeSize: checkpoint.size,
    origin: checkpoint.origin,
    root: toBase64(checkpoint.root),
    verifiedBy: checkpoint.verifiedBy,
  };
}

function assertReceiptShape(value: unknown): Receipt {
  const fail = (why: string): never => {
    throw new VerificationError("malformed", `receipt: ${why}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("not an object");
  const r = value as Record<string, unknown>;
  if (r.version !== 1) fail("unsupported version");
  for (const key of ["leafIndex", "treeSize"] as const) {
    const n = r[key];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) fail(`${key} must be a non-negative safe integer`);
  }
  if (!Array.isArray(r.inclusionProof) || !r.inclusionProof.every((h) => typeof h === "string")) {
    fail("inclusionProof must be an array of base64 strings");
  }
  if (typeof r.checkpoint !== "string") fail("checkpoint must be a signed note");
  assertCanonicalEvent(r.event);
  return value as Receipt;
}
