/** Why an audit request cannot be answered; the HTTP layer maps `code` to a status. */
export type AuditErrorCode =
  | "no_checkpoint" // nothing signed yet
  | "unsigned_size" // a tree size no checkpoint signs
  | "unknown_position" // no event at that position, or not sealed yet
  | "not_covered" // sealed, but no signed checkpoint covers it yet
  | "unknown_disbursement"
  | "bad_range";

/** Thrown by the audit service functions for requests that cannot be answered (4xx). */
export class AuditRequestError extends Error {
  override readonly name = "AuditRequestError";
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
