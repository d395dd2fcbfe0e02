import type { EventStore } from "@aidtrail/event-store";
import { type Kysely, sql } from "kysely";
import { ensureProjectionSchema, readCheckpoint } from "./checkpoint-store.js";
import { Lease } from "./lease.js";
import { type Projection, liveSchema, rebuildSchema } from "./projection.js";
import { Projector, type ProjectorLog } from "./projector.js";

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
  for (const p of projections) {
    await sql`drop schema if exists ${sql.id(rebuildSchema(p.name))} cascade`.execute(db);
    await ensureProjectionSchema(db, rebuildSchema(p.name), p);
  }
  const lease = new Lease(`rebuild:${projections.map((p) => p.name).join(",")}`, `rebuild-${process.pid}-${Date.now()}`, 60_000);
  if (!(await lease.tryAcquire(db))) throw new Error(`another rebuild of ${lease.name} is running`);
  const projector = new Projector({
    db,
    store,
    projections,
    lease,
    schemaOf: (p) => rebuildSchema(p.name),
    batchSize: options.batchSize ?? 5_000,
    ...(options.log ? { log: options.log } : {}),
  });
  const started = performance.now();
  let applied = 0;
  let lastReport = 0;
  try {
    for (;;) {
      const outcome = await projector.runOnce();
      // Count events, not event × projection applications.
      if (outcome.applied > 0) applied = Number((await readCheckpoint(db, rebuildSchema(projections[0]!.name))).applied);
      const now = performance.now();
      if (options.onProgress && (now - lastReport > 250 || outcome.caughtUp)) {
        lastReport = now;
        const elapsedMs = now - started;
        options.onProgress({ applied, elapsedMs, eventsPerSecond: applied / Math.max(elapsedMs / 1000, 0.001) });
      }
      if (outcome.caughtUp) break;
    }
    for (const p of projections) {
      const state = await readCheckpoint(db, rebuildSchema(p.name));
      if (state.status === "failed") throw new Error(`rebuild of ${p.name} stopped: ${state.error}`);
    }
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
