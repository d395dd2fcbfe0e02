import { type AllStreamSubscription, END, type EventStoreDBClient, excludeSystemEvents } from "@eventstore/db-client";
import { Wakeups } from "../wakeups.js";

const CONFIRMATION_TIMEOUT_MS = 5_000;

/**
 * Wakes pollers when anything is appended to `$all`: one live subscription per store,
 * from the end, without system events. It only says "look again"; the events
 * themselves are read with readAll, so a lost wake-up costs a timeout, never an event.
 */
export class AllStreamWakeups {
  private subscription: AllStreamSubscription | undefined;
  private confirmed: Promise<void> | undefined;
  private readonly wakeups = new Wakeups();
  private closed = false;

  /** Bumped on every appended event; a waiter compares against the value it saw. */
  get generation(): number {
    return this.wakeups.generation;
  }

  constructor(private readonly client: EventStoreDBClient) {}

  /** Resolves once the server has confirmed the subscription, so later appends will wake us. */
  ensureSubscribed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.confirmed) return this.confirmed;
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    this.subscription = subscription;
    this.confirmed = new Promise<void>((resolve) => {
      // A server that never confirms must not hang pollers: they fall back to their timeout.
      const timer = setTimeout(resolve, CONFIRMATION_TIMEOUT_MS);
      timer.unref();
      subscription.once("confirmation", () => {
        clearTimeout(timer);
        resolve();
      });
      const lost = () => {
        clearTimeout(timer);
        resolve();
        // Subscribe again on the next wait; wake everyone so nobody sleeps through the gap.
        if (this.subscription === subscription) {
          this.subscription = undefined;
          this.confirmed = undefined;
        }
        this.wakeups.wake();
      };
      subscription.on("error", lost);
      subscription.on("close", lost);
    });
    subscription.on("data", () => this.wakeups.wake());
    return this.confirmed;
  }

  /** Resolves when the generation moves past `seen`, after `timeoutMs`, or on abort. */
  waitForChange(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.wakeups.waitForChange(seen, timeoutMs, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeups.close();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => {});
  }

}
