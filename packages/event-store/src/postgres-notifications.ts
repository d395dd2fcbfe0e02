import pg from "pg";

export const EVENTS_CHANNEL = "aidtrail_events";

/**
 * One LISTEN connection per store. Every notification bumps `generation`; a
 * waiter that captured the generation before reading can never miss a wake-up.
 */
export class PostgresNotifications {
  generation = 0;
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly url: string) {}

  /** Starts listening if not yet; failures are retried on the next call. */
  async ensureListening(): Promise<void> {
    if (this.client || this.closed) return;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    await this.connecting.catch(() => {});
  }

  /** Resolves when a notification arrives after `generation`, on timeout, or on abort. */
  waitForChange(generation: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== generation || signal?.aborted || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Wakes waiters in this process, as a notification would. */
  wakeLocal(): void {
    this.generation++;
    this.wakeAll();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "aidtrail-listen" });
    client.on("notification", () => {
      this.generation++;
      this.wakeAll();
    });
    client.on("error", () => {
      // Lost connection: forget it; waiters fall back to their timeouts and the next wait reconnects.
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
    });
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    // Anything committed while we were not listening must be looked at.
    this.generation++;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
