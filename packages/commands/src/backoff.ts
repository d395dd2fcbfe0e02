export interface RetryPolicy {
  /** Attempts at most, the first included. Hot streams (a program's budget) need many. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 50, baseDelayMs: 2, maxDelayMs: 100 };

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, base·2^attempt)), so writers
 * that conflicted once do not collide again in lockstep. Randomness is fine here: it only
 * decides when to retry, never what is written.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 16));
  return Math.floor(Math.random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
