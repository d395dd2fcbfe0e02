import type { GlobalCheckpoint, RecordedEvent } from "@aidtrail/event-store";

/**
 * The log read once, in batches, for several consumers that each go at their own pace: a fast
 * consumer runs ahead instead of waiting for the slowest at every batch, but never more than
 * `window` batches ahead of it, so memory is bounded by the window, not by the log. Batch `i + 1`
 * is read (after `i`'s last event) as soon as `i` is in hand, while the consumers work on `i`.
 */
export class BatchFeed {
  private readonly batches = new Map<number, Promise<readonly RecordedEvent[]>>();
  private readonly cursors: number[];
  private readonly waiting: Array<() => void> = [];
  private lastRead = -1;

  constructor(
    private readonly read: (after: GlobalCheckpoint | undefined) => Promise<readonly RecordedEvent[]>,
    consumers: number,
    private readonly window: number,
  ) {
    this.cursors = new Array<number>(consumers).fill(0);
  }

  /** The consumer's next batch; an empty batch at the end of the log. */
  async next(consumer: number): Promise<readonly RecordedEvent[]> {
    const index = this.cursors[consumer]!;
    while (index - this.slowest() >= this.window) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const batch = await this.batch(index);
    this.cursors[consumer] = index + 1;
    this.release();
    return batch;
  }

  /** A consumer that stopped no longer holds batches back. */
  leave(consumer: number): void {
    this.cursors[consumer] = Number.POSITIVE_INFINITY;
    this.release();
  }

  private batch(index: number): Promise<readonly RecordedEvent[]> {
    while (this.lastRead < index) {
      const previous = this.batches.get(this.lastRead);
      const i = ++this.lastRead;
      const next = previous
        ? previous.then((events) => (events.length === 0 ? events : this.read(events[events.length - 1])))
        : this.read(undefined);
      next.catch(() => {}); // awaited by the consumers; not an unhandled rejection meanwhile
      this.batches.set(i, next);
    }
    // Read ahead: the next batch loads while this one is applied.
    if (this.lastRead === index && index + 1 - this.slowest() < this.window) this.batch(index + 1);
    return this.batches.get(index)!;
  }

  private slowest(): number {
    return Math.min(...this.cursors);
  }

  private release(): void {
    const slowest = this.slowest();
    // Keep the batch before the slowest: the one after it is read from its last event.
    for (const i of this.batches.keys()) if (i < slowest - 1) this.batches.delete(i);
    for (const wake of this.waiting.splice(0)) wake();
  }
}
