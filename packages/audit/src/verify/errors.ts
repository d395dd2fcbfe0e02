/** Why a verification failed; stable codes a UI or CLI can map to messages. */
export type VerificationFailureCode =
  | "malformed"
  | "bad_proof"
  | "root_mismatch"
  | "bad_signature"
  | "no_trusted_signature"
  | "size_mismatch";

/** Thrown by every verifier function when the evidence does not hold. */
export class VerificationError extends Error {
  override readonly name = "VerificationError";
  readonly code: VerificationFailureCode;

  constructor(code: VerificationFailureCode, message: string) {
    super(message);
    this.code = code;
  }
}
