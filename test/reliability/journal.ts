/** One HTTP attempt as the client saw it: an answer (status, body) or none (the error). */
export type Attempt =
  | { startedAt: number; endedAt: number; status: number; contentType: string; body: string }
  | { startedAt: number; endedAt: number; status: null; error: string };

/** How a payment ended for its client: 2xx, a definitive 4xx, or no definitive answer at all. */
export type Outcome = "acknowledged" | "refused" | "unresolved";

export interface JournalEntry {
  disbursementId: string;
  client: number;
  request: Record<string, unknown>;
  attempts: Attempt[];
  outcome: Outcome;
}

/** A status the client retries with the same disbursement id: the server may not have decided. */
export function isRetryable(attempt: Attempt): boolean {
  return attempt.status === null || attempt.status >= 500 || attempt.status === 429 || attempt.status === 408;
}

/**
 * The load generator's own record of every request and every response (or error), by
 * disbursement id. The end checks hold it against the database, never against the service's claims.
 */
export class Journal {
  readonly entries = new Map<string, JournalEntry>();

  open(disbursementId: string, client: number, request: Record<string, unknown>): JournalEntry {
    const entry: JournalEntry = { disbursementId, client, request, attempts: [], outcome: "unresolved" };
    this.entries.set(disbursementId, entry);
    return entry;
  }

  /** Every attempt of every payment, in no particular order. */
  *attempts(): Iterable<Attempt> {
    for (const entry of this.entries.values()) yield* entry.attempts;
  }

  count(outcome: Outcome): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.outcome === outcome) n++;
    return n;
  }

  /** Attempts per HTTP status ("error" for no answer). */
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.attempts()) {
      const key = a.status === null ? "error" : String(a.status);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** JSON lines, one payment a line, for a file a reader can inspect after a run. */
  toJsonLines(): string {
    return [...this.entries.values()].map((e) => JSON.stringify(e)).join("\n");
  }
}
