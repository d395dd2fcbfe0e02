/**
 * Whether an error says the round trip to PostgreSQL failed (no connection within the pool's
 * timeout, a dropped socket, a server restarting) rather than that the statement was refused.
 * Only the former is worth retrying: the statement may simply not have reached the server.
 */
export function isRoundTripFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // A SQLSTATE: the server answered. Retry only the classes that mean it cannot serve now.
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith("08") || code.startsWith("57P") || code === "53300";
    if (typeof code === "string" && code.startsWith("E")) return true; // ECONNRESET, ETIMEDOUT, …
    if (/timeout exceeded when trying to connect|connection terminated|Connection terminated/i.test(e.message)) return true;
  }
  return false;
}
