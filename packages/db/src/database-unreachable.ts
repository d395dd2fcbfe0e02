// Messages pg gives, without a code, when a connection could not be had or was lost.
const UNREACHABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection (is )?closed/i, /Client has encountered a connection error/i];

/**
 * Whether an error (or one of its causes) says PostgreSQL could not be reached or the connection
 * was lost — "the database is away", not "the statement was refused". Callers answer it 503 or
 * retry it; a refused statement (any other SQLSTATE) is neither.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && isUnreachableCode(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.some((re) => re.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnreachable(inner))) return true;
  }
  return false;
}

function isUnreachableCode(code: string): boolean {
  // SQLSTATE class 08 (connection exception), 57P01-03 (shutting down, starting up), 53300 (too many connections).
  if (/^[0-9A-Z]{5}$/.test(code)) return code.startsWith("08") || /^57P0[1-3]$/.test(code) || code === "53300";
  // Socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, ENOTFOUND, EAI_AGAIN… (not Node's ERR_*).
  return /^E[A-Z]+(_[A-Z]+)?$/.test(code) && !code.startsWith("ERR_");
}
