/**
 * Batches ended by the projectors of this process (read models, audit sealer). A loop waiting
 * on the log may be waiting behind another projector's transaction: its events are committed but
 * not readable until every older transaction has ended, and nothing else would tell it when that
 * one commits (the store wakes waiters on appends only, and otherwise looks again after a while).
 */
class LocalCommits {
  private readonly waiters = new Set<() => void>();

  /** Called by a projector once a batch's transactions have ended. */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** A signal that aborts with `parent` or at the next `notify`; call `dispose` when done with it. */
  until(parent: AbortSignal): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const abort = () => controller.abort();
    this.waiters.add(abort);
    parent.addEventListener("abort", abort, { once: true });
    if (parent.aborted) abort();
    return {
      signal: controller.signal,
      dispose: () => {
        this.waiters.delete(abort);
        parent.removeEventListener("abort", abort);
      },
    };
  }
}

export const localCommits = new LocalCommits();
