import type { GlobalCheckpoint, RecordedEvent } from "@aidtrail/event-store";
import { describe, expect, it } from "vitest";
import { BatchFeed } from "./batch-feed.js";

/** A log of `n` events read `size` at a time, counting the reads. */
function log(n: number, size: number) {
  const events = Array.from({ length: n }, (_, i) => ({ position: BigInt(i + 1), transactionId: 1n }) as RecordedEvent);
  const reads: Array<bigint | undefined> = [];
  const read = async (after: GlobalCheckpoint | undefined) => {
    reads.push(after?.position);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const from = after ? Number(after.position) : 0;
    return events.slice(from, from + size);
  };
  return { read, reads };
}

describe("BatchFeed", () => {
  it("gives every consumer every batch in order, reading each batch once", async () => {
    const { read, reads } = log(95, 10);
    const feed = new BatchFeed(read, 3, 2);
    const seen = await Promise.all(
      [0, 1, 2].map(async (c) => {
        const positions: bigint[] = [];
        for (;;) {
          const batch = await feed.next(c);
          if (batch.length === 0) return positions;
          // Consumers of different speeds.
          await new Promise((resolve) => setTimeout(resolve, c * 3));
          positions.push(...batch.map((e) => e.position));
        }
      }),
    );
    const all = Array.from({ length: 95 }, (_, i) => BigInt(i + 1));
    expect(seen).toEqual([all, all, all]);
    expect(reads).toEqual([undefined, 10n, 20n, 30n, 40n, 50n, 60n, 70n, 80n, 90n, 95n]);
  });

  it("keeps a fast consumer within the window of the slowest, and lets it go on once the slow one leaves", async () => {
    const { read } = log(100, 10);
    const feed = new BatchFeed(read, 2, 3);
    await feed.next(1); // the slow consumer holds batch 0
    const fast: number[] = [];
    const running = (async () => {
      for (;;) {
        const batch = await feed.next(0);
        if (batch.length === 0) return;
        fast.push(Number(batch[0]!.position));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Batch 0 and 1 taken, 2 and 3 ahead of the slow consumer's next (1): the window is 3.
    expect(fast).toEqual([1, 11, 21, 31]);
    feed.leave(1);
    await running;
    expect(fast).toEqual([1, 11, 21, 31, 41, 51, 61, 71, 81, 91]);
  });
});
