import { type EventStore, PostgresEventStore } from "@aidtrail/event-store";
import { type Lease, type Projection, Projector, type ProjectorLog } from "@aidtrail/projections";
import type { Kysely } from "kysely";
import { ReadAheadStore } from "./read-ahead-store.js";
import { auditSealerProjection } from "./sealer-projection.js";
import { TextEventStore } from "./text-event-store.js";

/** Events per sealing transaction unless the caller says otherwise. */
export const DEFAULT_SEALER_BATCH = 5_000;

/** A projector running the sealer alone, and how to wait for its read-ahead. */
export interface SealerProjector {
  readonly projector: Projector;
  /** Waits for a batch still being read ahead; call before closing the database. */
  settle(): Promise<void>;
}

/**
 * The projector that seals: the sealer projection under the projector runtime (lease,
 * checkpoint in the same transaction), reading the next batch while it seals this one.
 */
export function createSealerProjector(options: {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  readonly lease: Lease;
  readonly batchSize?: number;
  readonly log?: ProjectorLog;
  /** The sealer projection to run (tests pass theirs to reach its cached edge); a new one by default. */
  readonly projection?: Projection;
  /** Read a PostgreSQL log as JSON text (TextEventStore) rather than as objects; default true. */
  readonly readText?: boolean;
}): SealerProjector {
  const store = new ReadAheadStore(sealerSource(options.store, options.readText ?? true));
  const projector = new Projector({
    db: options.db,
    store,
    projections: [options.projection ?? auditSealerProjection()],
    lease: options.lease,
    batchSize: options.batchSize ?? DEFAULT_SEALER_BATCH,
    ...(options.log ? { log: options.log } : {}),
  });
  return { projector, settle: () => store.settle() };
}

/** What the sealer and the verifier read: a PostgreSQL log as text, any other store as it is. */
export function sealerSource(store: EventStore, readText = true): EventStore {
  return readText && store instanceof PostgresEventStore ? new TextEventStore(store) : store;
}
