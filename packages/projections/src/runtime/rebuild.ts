import { type EventStore, START } from "@aidtrail/event-store";
import { type Kysely, sql } from "kysely";
import { BatchFeed } from "./batch-feed.js";
import { appliedByRebuild } from "./bulk-load.js";
import { ensureProjectionSchema, readCheckpoint } from "./checkpoint-store.js";
import { buildIndexes, dropIndexes } from "./deferred-indexes.js";
import { Lease, LeaseLost } from "./lease.js";
import { type Projection, liveSchema, rebuildSchema } from "./projection.js";
import { Projector, type ProjectorLog } from "./projector.js";
import { Slots } from "./slots.js";

/** How far the quickest projection may run ahead of the slowest, in batches (bounds memory). */
const BATCHES_AHEAD = 3;

export interface RebuildProgress {
  applied: number;
  elapsedMs: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  db: Kysely<any>;
  store: EventStore;
  projections: readonly Projection[];
  batchSize?: number;
  log?: ProjectorLog;
  onProgress?: (progress: RebuildProgress) => void;
  /** Projections applied at once, each in a transaction of its own (default 3). */
  parallelism?: number;
  /** Stop before the swap (benchmarks, dry runs). */
  swap?: boolean;
}

/**
 * Replays the whole log into fresh `rm_<name>__rebuild` schemas while the live ones keep
 * serving, then swaps them in within one transaction. The live projector continues from
 * the rebuilt checkpoint.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<{ applied: number; elapsedMs: number }> {
  const { db, store, projections } = options;
  const deferred: string[] = [];
  for (const p of projections) {
    await sql`drop schema if exists ${sql.id(rebuildSchema(p.name))} cascade`.execute(db);
    await ensureProjectionSchema(db, rebuildSchema(p.name), p);
    deferred.push(...(await dropIndexes(db, rebuildSchema(p.name), p.appendOnly ?? [])));
  }
  const lease = new Lease(`rebuild:${projections.map((p) => p.name).join(",")}`, `rebuild-${process.pid}-${Date.now()}`, 60_000);
  if (!(await lease.tryAcquire(db))) throw new Error(`another rebuild of ${lease.name} is running`);
  // Append-only tables load without indexes (above), so their appends go by COPY, as do new rows.
  const loading = projections.map(appliedByRebuild);
  const projector = new Projector({
    db,
    store,
    projections: loading,
    lease,
    schemaOf: (p) => rebuildSchema(p.name),
    ...(options.log ? { log: options.log } : {}),
  });
  const batchSize = options.batchSize ?? 10_000;
  const started = performance.now();
  let applied = 0;
  let lastReport = 0;
  const report = (done: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (now - lastReport <= 250 && !done)) return;
    lastReport = now;
    const elapsedMs = now - started;
    options.onProgress({ applied, elapsedMs, eventsPerSecond: applied / Math.max(elapsedMs / 1000, 0.001) });
  };
  try {
    // The schemas are fresh: every projection starts from the beginning of the log. The lease is
    // renewed once per batch read; every apply transaction checks it as well.
    const feed = new BatchFeed(
      async (after) => {
        if (!(await lease.renew(db))) throw new LeaseLost(`lease ${lease.name} is no longer held by ${lease.owner}`);
        return store.readAll({ after: after ?? START, limit: batchSize });
      },
      projections.length,
      BATCHES_AHEAD,
    );
    const progress = projections.map(() => 0);
    const slots = new Slots(options.parallelism ?? 3);
    let failure: { error: unknown } | undefined;
    // Each projection goes through the log at its own pace: a quick one folds the next batch while
    // PostgreSQL still writes a slow one's, instead of all waiting for the slowest at every batch.
    const follow = async (i: number) => {
      try {
        for (;;) {
          const events = await feed.next(i);
          if (events.length === 0 || failure) return;
          const outcome = await slots.run(() => projector.applyOne(loading[i]!, events, { asyncCommit: true }));
          if (outcome.reached === undefined) return; // stopped on a poison event: reported below
          progress[i]! += events.length;
          applied = Math.min(...progress);
          report(false);
        }
      } catch (error) {
        failure ??= { error };
      } finally {
        feed.leave(i);
      }
    };
    await Promise.all(projections.map((_, i) => follow(i)));
    if (failure) throw failure.error;
    applied = Math.max(...progress);
    report(true);
    for (const p of projections) {
      const state = await readCheckpoint(db, rebuildSchema(p.name));
      if (state.status === "failed") throw new Error(`rebuild of ${p.name} stopped: ${state.error}`);
    }
    await buildIndexes(db, deferred);
    if (options.swap !== false) await swapIn(db, projections);
  } finally {
    await lease.release(db);
  }
  return { applied, elapsedMs: performance.now() - started };
}

/** Replaces each live schema by its rebuilt one, atomically for readers. */
async function swapIn(db: Kysely<any>, projections: readonly Projection[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const p of projections) {
      const live = liveSchema(p.name);
      const retired = `${live}__retired`;
      const { rows } = await sql<{ found: boolean }>`
        select exists (select 1 from pg_namespace where nspname = ${live}) as found`.execute(trx);
      if (rows[0]?.found) {
        // Waits for a live batch in flight, and holds the next one until the swap commits.
        await sql`lock table ${sql.id(live, "_checkpoint")} in access exclusive mode`.execute(trx);
        await sql`alter schema ${sql.id(live)} rename to ${sql.id(retired)}`.execute(trx);
      }
      await sql`alter schema ${sql.id(rebuildSchema(p.name))} rename to ${sql.id(live)}`.execute(trx);
      if (rows[0]?.found) await sql`drop schema ${sql.id(retired)} cascade`.execute(trx);
    }
  });
}
