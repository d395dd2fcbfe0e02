import { AuditRequestError, type AuditErrorCode } from "@aidtrail/audit/server";
import { HttpProblem } from "../../problems/problem.js";

/** PostgreSQL's SQLSTATE for a relation that does not exist. */
const UNDEFINED_TABLE = "42P01";

const STATUS: Record<AuditErrorCode, { status: number; title: string }> = {
  no_checkpoint: { status: 404, title: "No checkpoint yet" },
  unsigned_size: { status: 404, title: "Tree size not signed" },
  unknown_position: { status: 404, title: "Not found" },
  unknown_disbursement: { status: 404, title: "Not found" },
  // Sealing and signing lag the append by a few seconds: the same request will succeed soon.
  not_covered: { status: 409, title: "Not sealed yet" },
  bad_range: { status: 400, title: "Bad request" },
};

/** Runs an audit service call, turning its refusals into problem+json answers. */
export async function auditCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AuditRequestError) {
      const { status, title } = STATUS[error.code];
      throw new HttpProblem(status, error.code, title, error.message, status === 409 ? { retryAfterSeconds: 3 } : {});
    }
    // An API started before its sealer ever ran (separate processes) finds no audit tables: not sealed yet.
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new HttpProblem(409, "not_covered", STATUS.not_covered.title, "the audit log has not been sealed yet; retry in a few seconds", { retryAfterSeconds: 3 });
    }
    throw error;
  }
}
