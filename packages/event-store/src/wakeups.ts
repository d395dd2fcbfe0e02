/**
 * A counter bumped on every wake-up. A poller reads `generation` before it looks for events
 * and waits for a change after: a wake-up between the two can never be missed.
 */
export class Wakeups {
  generation = 0;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  wake(): void {
    this.generation++;
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves when the generation moves past `seen`, after `timeoutMs`, on abort, or on close. */
  waitForChange(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== seen || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
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

  /** Wakes everyone now and every later waiter at once. */
  close(): void {
    this.closed = true;
    this.wake();
  }
}
