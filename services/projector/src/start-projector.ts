import { randomUUID } from "node:crypto";
import { type EventStore, type GlobalCheckpoint, compareCheckpoints } from "@aidtrail/event-store";
import {
  Lease,
  type Projection,
  Projector,
  type ProjectorLog,
  liveSchema,
  readCheckpoint,
  runProjectorLoop,
} from "@aidtrail/projections";
import type { Kysely } from "kysely";
import { ProjectionWaiters } from "./projection-waiters.js";

export interface StartProjectorOptions {
  db: Kysely<any>;
  store: EventStore;
  projections: readonly Projection[];
  log?: ProjectorLog;
  /** Lease name: one running projector per name across all processes. */
  leaseName?: string;
  leaseTtlMs?: number;
  batchSize?: number;
  /** Read models a batch applies at once (each a transaction and pooled connection of its own). */
  parallelism?: number;
  onFailed?: (projection: string, position: bigint, error: string) => void;
  onCommitted?: (checkpoint: GlobalCheckpoint, applied: number) => void;
}

export interface RunningProjector {
  /** Resolves true once every running projection has applied `checkpoint`. */
  waitFor(checkpoint: GlobalCheckpoint, timeoutMs: number): Promise<boolean>;
  readonly projector: Projector;
  stop(): Promise<void>;
}

/**
 * Runs the projections in this process until stopped: inline in `aidtrail start`, or
 * alone in the projector service. Only the lease holder applies; others stand by.
 */
export async function startProjector(options: StartProjectorOptions): Promise<RunningProjector> {
  const waiters = new ProjectionWaiters();
  const lease = new Lease(options.leaseName ?? "projector", `${process.pid}-${randomUUID()}`, options.leaseTtlMs ?? 15_000);
  const projector = new Projector({
    db: options.db,
    store: options.store,
    projections: options.projections,
    lease,
    batchSize: options.batchSize ?? 1000,
    ...(options.parallelism ? { parallelism: options.parallelism } : {}),
    // Read models are derived from the log: a batch lost in a crash is applied again, never twice.
    asyncCommit: true,
    ...(options.log ? { log: options.log } : {}),
    ...(options.onFailed ? { onFailed: options.onFailed } : {}),
    onCommitted: (checkpoint, applied) => {
      waiters.advance(checkpoint);
      options.onCommitted?.(checkpoint, applied);
    },
  });
  await projector.prepare();
  const controller = new AbortController();
  // Only a process without the lease needs to learn progress from the database.
  let holdsLease = false;
  const loop = runProjectorLoop({
    onLeaseChange: (held) => {
      holdsLease = held;
    },
    db: options.db,
    projector,
    lease,
    signal: controller.signal,
    waitForEvents: async (after, ms, signal) => {
      // Caught up: whoever waits for `after` is served.
      waiters.advance(after);
      await options.store.waitForEvents(after, ms, signal);
    },
    ...(options.log ? { log: options.log } : {}),
  });
  // A process that does not hold the lease learns progress from the database instead.
  const pollStored = async () => {
    try {
      const states = await Promise.all(options.projections.map((p) => readCheckpoint(options.db, liveSchema(p.name))));
      const running = states.filter((s) => s.status === "running").map((s) => s.checkpoint);
      const lowest = running.sort(compareCheckpoints)[0];
      if (lowest) waiters.advance(lowest);
    } catch {
      // The database is away; waiters time out on their own.
    }
  };
  return {
    projector,
    async waitFor(checkpoint, timeoutMs) {
      const waiting = waiters.waitFor(checkpoint, timeoutMs);
      let done = false;
      void waiting.then(() => {
        done = true;
      });
      void (async () => {
        for (let delay = 5; !done && !controller.signal.aborted; delay = Math.min(delay * 2, 100)) {
          await new Promise((r) => setTimeout(r, delay));
          if (!done && !holdsLease) await pollStored();
        }
      })();
      return waiting;
    },
    async stop() {
      controller.abort();
      waiters.cancelAll();
      await loop;
    },
  };
}
