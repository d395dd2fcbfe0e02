// The offline verifier: Web Crypto only, no node: imports, no dependencies, so the
// same module runs in Node ≥ 20, in the CLI and on the browser receipt page.
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from "./bytes.js";
export { assertCanonicalEvent, type CanonicalEvent, isCanonicalTimestamp } from "./canonical-event.js";
export { canonicalize, canonicalJsonBytes, type JsonValue, NotCanonicalisableError } from "./canonical-json.js";
export { type Checkpoint, openCheckpoint, parseCheckpoint, type VerifiedCheckpoint } from "./checkpoint.js";
export { verifyCheckpointConsistency } from "./checkpoint-consistency.js";
export { verifyConsistency } from "./consistency.js";
export { VerificationError, type VerificationFailureCode } from "./errors.js";
export { emptyRoot, HASH_SIZE, leafHash, type NodeHasher, nodeHash, sha256, webCryptoHasher } from "./hash.js";
export { rootFromInclusionProof, verifyInclusion } from "./inclusion.js";
export { type Receipt, type VerifiedReceipt, type VerifyReceiptOptions, verifyReceipt } from "./receipt.js";
export {
  ED25519_SIGNATURE_TYPE,
  isValidKeyName,
  type NoteSignature,
  type NoteVerifierKey,
  noteKeyId,
  type OpenedNote,
  openSignedNote,
  type ParsedNote,
  parseSignedNote,
  parseVerifierKey,
} from "./signed-note.js";
