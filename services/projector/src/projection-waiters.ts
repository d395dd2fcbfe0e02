import { type GlobalCheckpoint, compareCheckpoints } from "@aidtrail/event-store";

/** Read-your-writes: callers wait until the projector has committed past their event. */
export class ProjectionWaiters {
  private reached: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  private waiters = new Set<{ target: GlobalCheckpoint; resolve: (ok: boolean) => void; timer: NodeJS.Timeout }>();

  /** Called by the projector after each committed batch with its lowest checkpoint. */
  advance(checkpoint: GlobalCheckpoint): void {
    if (compareCheckpoints(checkpoint, this.reached) > 0) this.reached = checkpoint;
    for (const waiter of [...this.waiters]) {
      if (compareCheckpoints(this.reached, waiter.target) >= 0) this.settle(waiter, true);
    }
  }

  /** Resolves true once `target` is projected, false after `timeoutMs`. */
  waitFor(target: GlobalCheckpoint, timeoutMs: number): Promise<boolean> {
    if (compareCheckpoints(this.reached, target) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { target, resolve, timer: setTimeout(() => this.settle(waiter, false), timeoutMs) };
      this.waiters.add(waiter);
    });
  }

  /** Callers still waiting. */
  get pending(): number {
    return this.waiters.size;
  }

  get checkpoint(): GlobalCheckpoint {
    return this.reached;
  }

  /** Wakes every waiter with false, e.g. at shutdown. */
  cancelAll(): void {
    for (const waiter of [...this.waiters]) this.settle(waiter, false);
  }

  private settle(waiter: { resolve: (ok: boolean) => void; timer: NodeJS.Timeout }, ok: boolean): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter as never);
    waiter.resolve(ok);
  }
}
