import type { GlobalCheckpoint } from "@aidtrail/event-store";
import { LeaseLost } from "./lease.js";
import { localCommits } from "./local-commits.js";
import type { Projector, ProjectorLog } from "./projector.js";
import type { Lease } from "./lease.js";
import type { Kysely } from "kysely";

export interface LoopOptions {
  db: Kysely<any>;
  projector: Projector;
  lease: Lease;
  waitForEvents: (after: GlobalCheckpoint, timeoutMs: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  log?: ProjectorLog;
  /** How long to wait for events (and between lease attempts) when idle. */
  idleMs?: number;
  /** Told whenever this process takes or loses the lease. */
  onLeaseChange?: (held: boolean) => void;
  /** How often a standby looks whether the lease was released or expired (250 ms). */
  standbyPollMs?: number;
}

/**
 * Runs a projector until aborted: takes the lease, applies batches, waits on the log when
 * caught up, and backs off (bounded, exponential) when the database is away.
 */
export async function runProjectorLoop(options: LoopOptions): Promise<void> {
  const { db, projector, lease, signal } = options;
  const idle = options.idleMs ?? 2_000;
  const standbyPoll = options.standbyPollMs ?? 250;
  let held = false;
  const setHeld = (now: boolean) => {
    if (now !== held) options.onLeaseChange?.(now);
    held = now;
  };
  let backoff = 100;
  while (!signal.aborted) {
    try {
      if (!held) {
        // A standby looks often but without a lock (taking the row would queue it, and then the
        // holder's next apply transactions, behind the holder's open ones), so a lease released
        // by a graceful stop is taken over at once rather than at the next idle round.
        if (await lease.heldByAnother(db)) {
          await sleep(standbyPoll, signal);
          continue;
        }
        setHeld(await lease.tryAcquire(db));
        if (!held) {
          await sleep(standbyPoll, signal);
          continue;
        }
        options.log?.info({ lease: lease.name, owner: lease.owner }, "projector lease acquired");
      }
      const outcome = await projector.runOnce();
      backoff = 100;
      if (outcome.stopped) {
        // Waiting on the log would return at once (every event is past the start): keep the lease, idle.
        if (!lease.fresh) setHeld(await lease.tryAcquire(db));
        await sleep(idle, signal);
      } else if (outcome.caughtUp) {
        // Renews the lease while idle, so a quiet log does not let it expire; not after every
        // batch (a round trip before the wait), since each apply transaction checks it anyway.
        if (!lease.fresh) setHeld(await lease.tryAcquire(db));
        // Another projector of this process ending a batch may have let the log's horizon pass.
        const wake = localCommits.until(signal);
        try {
          await options.waitForEvents(outcome.after, idle, wake.signal);
        } finally {
          wake.dispose();
        }
      }
    } catch (error) {
      if (error instanceof LeaseLost) {
        options.log?.warn({ lease: lease.name }, "projector lease lost; another process took over");
        setHeld(false);
        continue;
      }
      options.log?.error({ err: error }, "projector batch failed; retrying");
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }
  if (held) {
    await lease.release(db).catch(() => {});
    setHeld(false);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An abort before this call fires no event any more.
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
