import type { VerificationRecorded } from "./verification-events.js";

/**
 * The verification record of one payment: every finding by id (for idempotent retries) and the
 * dispute case that is open, if any — at most one at a time.
 */
export interface VerificationState {
  findings: ReadonlyMap<string, VerificationRecorded["data"]>;
  openCaseId: string | null;
}

export function initialVerificationState(): VerificationState {
  return { findings: new Map(), openCaseId: null };
}
