import { randomUUID } from "node:crypto";
import type { EventStore, GlobalCheckpoint } from "@aidtrail/event-store";
import {
  Lease,
  type Projection,
  Projector,
  type ProjectorLog,
  runProjectorLoop,
} from "@aidtrail/projections";
import { createDb, createPool } from "@aidtrail/db";
import type { Kysely } from "kysely";
import { ProjectionWaiters } from "./projection-waiters.js";
import { readStoredProgress } from "./stored-progress.js";

/** How often a process without the lease reads the stored checkpoints while a request waits. */
const STORED_POLL_MS = 10;

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
  /**
   * The database URL: given it, the projector applies through connections of its own that
   * pipeline (a read model's batch that only writes then costs one round trip; see
   * withLazyTransaction), closed when it stops. Without it, through `db`.
   */
  url?: string;
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
  const parallelism = options.parallelism ?? 3;
  // Its own pool also keeps the API's requests and the projector from waiting on each other's connections.
  const pool = options.url ? createPool(options.url, { max: parallelism + 2, pipeline: true, applicationName: "aidtrail-projector" }) : undefined;
  const db = pool ? createDb(pool) : options.db;
  const lease = new Lease(options.leaseName ?? "projector", `${process.pid}-${randomUUID()}`, options.leaseTtlMs ?? 15_000);
  const projector = new Projector({
    db,
    store: options.store,
    projections: options.projections,
    lease,
    batchSize: options.batchSize ?? 1000,
    parallelism,
    pipelined: pool !== undefined,
    // Read models are derived from the log: a batch lost in a crash is applied again, never twice.
    asyncCommit: true,
    ...(options.log ? { log: options.log } : {}),
    ...(options.onFailed ? { onFailed: options.onFailed } : {}),
    onCommitted: (checkpoint, applied) => {
      waiters.advance(checkpoint);
      options.onCommitted?.(checkpoint, applied);
    },
  });
  await projector.prepare().catch(async (error: unknown) => {
    await pool?.end();
    throw error;
  });
  const controller = new AbortController();
  // Only a process without the lease needs to learn progress from the database.
  let holdsLease = false;
  // A process that does not hold the lease learns progress from the database instead: one
  // poller for all its waiters (not one per request), polling only while someone waits.
  let polling = false;
  const pollWhileWaiting = async () => {
    if (polling) return;
    polling = true;
    try {
      while (waiters.pending > 0 && !holdsLease && !controller.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, STORED_POLL_MS));
        const stored = await readStoredProgress(options.db, options.projections).catch(() => undefined);
        if (stored) waiters.advance(stored);
      }
    } finally {
      polling = false;
    }
  };
  const loop = runProjectorLoop({
    onLeaseChange: (held) => {
      holdsLease = held;
      // Whoever waits on a lease just lost now learns progress from the new holder's checkpoints.
      if (!held) void pollWhileWaiting();
    },
    db,
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
  return {
    projector,
    waitFor(checkpoint, timeoutMs) {
      const waiting = waiters.waitFor(checkpoint, timeoutMs);
      if (!holdsLease) void pollWhileWaiting();
      return waiting;
    },
    async stop() {
      controller.abort();
      waiters.cancelAll();
      await loop;
      await pool?.end();
    },
  };
}
