import pg from "pg";
import { Wakeups } from "./wakeups.js";

export const EVENTS_CHANNEL = "aidtrail_events";

/**
 * One LISTEN connection per store. Every notification bumps `generation`; a
 * waiter that captured the generation before reading can never miss a wake-up.
 */
export class PostgresNotifications {
  private readonly wakeups = new Wakeups();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly url: string) {}

  get generation(): number {
    return this.wakeups.generation;
  }

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
    return this.wakeups.waitForChange(generation, timeoutMs, signal);
  }

  /** Wakes waiters in this process, as a notification would. */
  wakeLocal(): void {
    this.wakeups.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeups.close();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "aidtrail-listen" });
    client.on("notification", () => this.wakeups.wake());
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
    this.wakeups.wake();
  }

}
