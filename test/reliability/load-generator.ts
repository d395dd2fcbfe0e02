import { type Attempt, type Journal, isRetryable } from "./journal.js";

export interface LoadOptions {
  base: string;
  /** One bearer token per client. */
  tokens: readonly string[];
  /** Payments started per second, all clients together. */
  ratePerSecond: number;
  /** The next payment's body (a new disbursement id each call). */
  nextPayment: () => Record<string, unknown> & { disbursementId: string };
  journal: Journal;
  /** A request without an answer after this long counts as a hang (and is retried). */
  attemptTimeoutMs?: number;
  /**
   * A client with this many payments still unanswered skips its next tick (counted) instead of
   * piling up: an officer's terminal does not open hundreds of requests while the service is down.
   */
  maxInFlightPerClient?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Several clients posting payments at a steady rate. A payment without a definitive answer
 * (no answer, 5xx, 429) is retried with the SAME body and disbursement id, as a real client
 * does: the service's idempotency must absorb the retries.
 */
export class LoadGenerator {
  private sending = false;
  private givingUp = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly perClient: number[];
  private readonly timers: NodeJS.Timeout[] = [];
  skippedTicks = 0;

  constructor(private readonly options: LoadOptions) {
    this.perClient = options.tokens.map(() => 0);
  }

  start(): void {
    this.sending = true;
    const clients = this.options.tokens.length;
    const intervalMs = (1000 * clients) / this.options.ratePerSecond;
    const startedAt = performance.now();
    for (let client = 0; client < clients; client++) {
      // Clients are spread over the interval; each schedules against its start to avoid drift.
      const offset = (intervalMs * client) / clients;
      let tick = 0;
      const next = () => {
        if (!this.sending) return;
        this.launch(client);
        tick++;
        const due = startedAt + offset + tick * intervalMs;
        this.timers[client] = setTimeout(next, Math.max(0, due - performance.now()));
      };
      this.timers[client] = setTimeout(next, offset);
    }
  }

  /** Stops starting payments; those still retrying go on. */
  stopSending(): void {
    this.sending = false;
    for (const t of this.timers) clearTimeout(t);
  }

  /** Stops sending, lets retries finish for up to `timeoutMs`, then gives up on the rest (unresolved). */
  async drain(timeoutMs: number): Promise<void> {
    this.stopSending();
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await sleep(100);
    this.givingUp = true;
    await Promise.all(this.inFlight);
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private launch(client: number): void {
    if ((this.perClient[client] ?? 0) >= (this.options.maxInFlightPerClient ?? 8)) {
      this.skippedTicks++;
      return;
    }
    this.perClient[client] = (this.perClient[client] ?? 0) + 1;
    const task = this.pay(client).finally(() => {
      this.perClient[client] = (this.perClient[client] ?? 1) - 1;
      this.inFlight.delete(task);
    });
    this.inFlight.add(task);
  }

  private async pay(client: number): Promise<void> {
    const body = this.options.nextPayment();
    const entry = this.options.journal.open(body.disbursementId, client, body);
    const text = JSON.stringify(body);
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 2_000)) {
      const attempt = await this.post(client, text);
      entry.attempts.push(attempt);
      if (!isRetryable(attempt)) {
        entry.outcome = attempt.status !== null && attempt.status < 300 ? "acknowledged" : "refused";
        return;
      }
      if (this.givingUp) return;
      // Jitter keeps the clients from retrying in lockstep once the service is back.
      await sleep(backoff / 2 + Math.random() * backoff);
    }
  }

  private async post(client: number, body: string): Promise<Attempt> {
    const startedAt = Date.now();
    try {
      const res = await fetch(`${this.options.base}/v1/disbursements`, {
        method: "POST",
        headers: { authorization: `Bearer ${this.options.tokens[client]}`, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(this.options.attemptTimeoutMs ?? 15_000),
      });
      const answer = await res.text();
      return { startedAt, endedAt: Date.now(), status: res.status, contentType: res.headers.get("content-type") ?? "", body: answer };
    } catch (error) {
      const e = error as { name?: string; code?: string; cause?: { code?: string }; message?: string };
      const kind = e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.code ?? e.message ?? String(error));
      return { startedAt, endedAt: Date.now(), status: null, error: kind };
    }
  }
}
