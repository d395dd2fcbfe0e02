import { type EventStore, PostgresEventStore } from "@aidtrail/event-store";
import { type Lease, type Projection, Projector, type ProjectorLog } from "@aidtrail/projections";
import type { Kysely } from "kysely";
import { HashAheadStore } from "./hash-ahead-store.js";
import { LeafWorker } from "./leaf-worker.js";
import { ReadAheadStore } from "./read-ahead-store.js";
import { auditSealerProjection } from "./sealer-projection.js";
import { StoredLeafStore } from "./stored-leaf-store.js";
import { TextEventStore } from "./text-event-store.js";

/** Events per sealing transaction unless the caller says otherwise. */
export const DEFAULT_SEALER_BATCH = 5_000;

/** A projector running the sealer alone, and how to wait for its read-ahead. */
export interface SealerProjector {
  readonly projector: Projector;
  /** Waits for a batch still being read ahead and stops the leaf worker; call before closing the database. */
  settle(): Promise<void>;
}

/**
 * The projector that seals: the sealer projection under the projector runtime (lease,
 * checkpoint in the same transaction), reading the next batch while it seals this one,
 * and computing the leaves of a batch read as text in a worker thread as soon as it is read.
 */
export function createSealerProjector(options: {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly lease: Lease;
  readonly batchSize?: number;
  readonly log?: ProjectorLog;
  /** The sealer projection to run (tests pass theirs to reach its cached edge); a new one by default. */
  readonly projection?: Projection;
  /** Read a PostgreSQL log as stored leaves and JSON text (StoredLeafStore) rather than as objects; default true. */
  readonly readText?: boolean;
  /**
   * Use the leaves stored as events were appended; default true. False reads every event as text and
   * computes its leaf, as for a log without stored leaves (benches measure that fallback with it).
   */
  readonly storedLeaves?: boolean;
  /** The leaf worker for batches read as text; a new one by default, none with `false` (all leaves in this thread). */
  readonly leafWorker?: LeafWorker | false;
}): SealerProjector {
  const source = sealerSource(options.store, options.readText ?? true, options.storedLeaves ?? true);
  const worker =
    options.leafWorker ??
    new LeafWorker({ onCrash: (error) => options.log?.warn({ error: String(error) }, "leaf worker stopped; its batches are hashed in the sealer's thread") });
  const store = new ReadAheadStore(worker !== false && (source instanceof StoredLeafStore || source instanceof TextEventStore) ? new HashAheadStore(source, worker) : source);
  const projector = new Projector({
    db: options.db,
    store,
    projections: [options.projection ?? auditSealerProjection()],
    lease: options.lease,
    batchSize: options.batchSize ?? DEFAULT_SEALER_BATCH,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    projector,
    async settle() {
      await store.settle();
      if (worker !== false) await worker.close();
    },
  };
}

/** What the sealer reads: a PostgreSQL log as stored leaves, or as text where none was stored (or none is wanted); any other store as it is. */
export function sealerSource(store: EventStore, readText = true, storedLeaves = true): EventStore {
  if (!readText || !(store instanceof PostgresEventStore)) return store;
  return storedLeaves ? new StoredLeafStore(store) : new TextEventStore(store);
}
