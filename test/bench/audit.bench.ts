/**
 * `pnpm bench audit [--events N] [--runs N] [--samples N] [--batch N] [--compare]`: the audit log over a
 * realistic log of 1,000,000 events (the cc township copied, see township-log.ts).
 *
 * The log is built as the product writes it: the township's copies go in through the event
 * store's appendMany, which stores each event's audit leaf (issue 6).
 *
 * 1. sealing: the sealer projector `aidtrail start` runs (`createSealerProjector`: the sealer
 *    projection under the projector runtime, reading the next batch ahead, batch size of
 *    startAuditSealer), from an empty tree to every event sealed: leaves/s, `--runs` times,
 *    each from scratch. Each run is followed by one of the fallback (`storedLeaves: false`: every
 *    leaf computed from the data as for a log without stored leaves, with the leaf worker),
 *    reported as sealFallback*. `--compare` runs the sealer computing every leaf in its own
 *    thread (no leaf worker, no stored leaves) before each run, for an A/B of the leaf worker.
 * 2. stages: where a sealed event's time goes (read, canonicalise, hash, tiles), on 100k events,
 *    a batch at a time; and the leaf worker's leaves checked equal to the in-thread ones.
 * 3. inclusion proofs at the full tree size (one signed checkpoint of all leaves) through the
 *    service function `inclusionProofFor`, `--samples` random positions, on one pooled
 *    connection: cold = a new database handle per proof (its tile reader has nothing
 *    cached), warm = the same positions again on one handle after a first pass.
 * 4. verification: `verifyLog` (what `aidtrail verify` runs) over the whole log, `--runs` times.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import {
  appendLeaves,
  canonicalEventJson,
  canonicalEventJsonOfText,
  EMPTY_EDGE,
  generateNoteKey,
  leafHashOfText,
  noteSignerFromKey,
  toCanonicalEvent,
} from "@aidtrail/audit";
import {
  AUDIT_SCHEMA,
  createSealerProjector,
  DEFAULT_SEALER_BATCH,
  inclusionProofFor,
  LeafWorker,
  signSealedTree,
  TextEventStore,
  type TextRecordedEvent,
  verifyLog,
} from "@aidtrail/audit/server";
import { createDb } from "@aidtrail/db";
import type { PostgresEventStore, RecordedEvent } from "@aidtrail/event-store";
import { Lease } from "@aidtrail/projections";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { type BenchContext, type BenchResult, flagValue, median, percentile, round } from "./lib.js";
import { postgresCpuMicros, postmasterPid, procCpuMicros } from "./postgres-cpu.js";
import { openTownshipLog } from "./township-log.js";

const ORIGIN = "bench.aidtrail/audit";

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const target = Number(flagValue(ctx.args, "--events") ?? 1_000_000);
  const runs = Number(flagValue(ctx.args, "--runs") ?? 3);
  const samples = Number(flagValue(ctx.args, "--samples") ?? 300);
  const batchSize = Number(flagValue(ctx.args, "--batch") ?? DEFAULT_SEALER_BATCH);
  // Same process, alternating: the sealer hashing in its own thread before each run with the leaf worker.
  const compare = ctx.args.includes("--compare");
  const log = await openTownshipLog(ctx, { appended: true });
  const { database, store } = log;
  const db = database.db as Kysely<any>;
  try {
    const events = await log.growTo(target);
    await sql`vacuum analyze events`.execute(db);
    ctx.log(`log: ${events.toLocaleString("en")} events`);

    // 1. Sealing, from scratch each run; with --compare, alternating with the sealer reading objects.
    const lease = new Lease("audit-bench", "bench", 600_000);
    if (!(await lease.tryAcquire(db))) throw new Error("could not take the bench lease");
    const postmaster = await postmasterPid(db);
    type SealRun = { rate: number; cpuMicrosPerLeaf: number; mainMicrosPerLeaf: number; postgresMicrosPerLeaf: number };
    const seal = async (withWorker: boolean, storedLeaves = true): Promise<SealRun> => {
      await sql`drop schema if exists ${sql.id(AUDIT_SCHEMA)} cascade`.execute(db);
      await sql`delete from audit_checkpoints`.execute(db);
      const { projector, settle } = createSealerProjector({
        db,
        store,
        lease,
        batchSize,
        storedLeaves: storedLeaves && withWorker,
        ...(withWorker ? {} : { leafWorker: false }),
      });
      await projector.prepare();
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const mainBefore = mainThreadCpuMicros();
      const postgresBefore = postgresCpuMicros(postmaster);
      let sealed = 0;
      let nextReport = 250_000;
      for (;;) {
        const outcome = await projector.runOnce();
        if (outcome.caughtUp) break;
        sealed += outcome.applied;
        if (sealed >= nextReport) {
          ctx.log(`  sealed ${sealed.toLocaleString("en")} in ${round((performance.now() - started) / 1000, 1)} s`);
          nextReport += 250_000;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const mainMicrosPerLeaf = round((mainThreadCpuMicros() - mainBefore) / events, 2);
      const postgresMicrosPerLeaf = round((postgresCpuMicros(postmaster) - postgresBefore) / events, 2);
      await settle();
      if (sealed !== events) throw new Error(`sealed ${sealed} of ${events} events`);
      const cpuMicrosPerLeaf = round((cpu.user + cpu.system) / sealed, 2);
      ctx.log(
        `sealing${storedLeaves && withWorker ? " (stored leaves)" : withWorker ? " (fallback: leaves computed, leaf worker)" : " (one thread)"}: ${sealed.toLocaleString("en")} leaves in ${round(seconds, 1)} s = ${Math.round(sealed / seconds).toLocaleString("en")} leaves/s, CPU µs/leaf: node ${cpuMicrosPerLeaf} (main thread ${mainMicrosPerLeaf}), PostgreSQL ${postgresMicrosPerLeaf}`,
      );
      return { rate: sealed / seconds, cpuMicrosPerLeaf, mainMicrosPerLeaf, postgresMicrosPerLeaf };
    };
    const sealRates: number[] = [];
    const sealCpu: number[] = [];
    const sealMain: number[] = [];
    const sealPostgres: number[] = [];
    const threadRates: number[] = [];
    const threadCpu: number[] = [];
    const fallback: SealRun[] = [];
    for (let r = 0; r < runs; r++) {
      if (compare) {
        const old = await seal(false);
        threadRates.push(old.rate);
        threadCpu.push(old.cpuMicrosPerLeaf);
      }
      const run = await seal(true);
      sealRates.push(run.rate);
      sealCpu.push(run.cpuMicrosPerLeaf);
      sealMain.push(run.mainMicrosPerLeaf);
      sealPostgres.push(run.postgresMicrosPerLeaf);
      fallback.push(await seal(true, false));
      ctx.log(`sealing run ${r + 1}/${runs} done (load ${os.loadavg()[0]?.toFixed(1)})`);
    }
    await sql`vacuum analyze ${sql.id(AUDIT_SCHEMA, "audit_leaf_runs")}`.execute(db);
    await sql`vacuum analyze ${sql.id(AUDIT_SCHEMA, "audit_tiles")}`.execute(db);

    // 2. Stages of sealing, on the first 100k events, in process (no writes).
    const stages = await measureStages(store, Math.min(100_000, events), batchSize);
    ctx.log(`stages (µs/event): ${JSON.stringify(stages)}`);

    // One signed checkpoint of the whole tree.
    const key = generateNoteKey(ORIGIN);
    const checkpoint = await signSealedTree(db, ORIGIN, [noteSignerFromKey(key.signerKey)]);
    if (checkpoint?.treeSize !== events) throw new Error(`signed ${checkpoint?.treeSize} instead of ${events}`);

    // 3. Inclusion proofs at the full size.
    const { rows } = await sql<{ position: string }>`
      select position from ${sql.id(AUDIT_SCHEMA, "audit_leaves")} order by random() limit ${samples}`.execute(db);
    const positions = rows.map((r) => BigInt(r.position));
    // One connection for all proofs (as a pooled service has), warmed up before timing.
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const cold: number[] = [];
    const warm: number[] = [];
    try {
      await inclusionProofFor(createDb(pool) as Kysely<any>, { position: positions[0]! });
      for (const position of positions) {
        // A new handle has a tile reader of its own, with nothing cached.
        const fresh = createDb(pool) as Kysely<any>;
        const t = performance.now();
        const proof = await inclusionProofFor(fresh, { position });
        cold.push(performance.now() - t);
        if (proof.treeSize !== events) throw new Error("proof at the wrong size");
      }
      const warmDb = createDb(pool) as Kysely<any>;
      for (const position of positions) await inclusionProofFor(warmDb, { position });
      for (const position of positions) {
        const t = performance.now();
        await inclusionProofFor(warmDb, { position });
        warm.push(performance.now() - t);
      }
    } finally {
      await pool.end();
    }
    ctx.log(
      `inclusion proofs at ${events.toLocaleString("en")} leaves, ${positions.length} positions: cold median ${round(median(cold), 3)} ms (p99 ${round(percentile(cold, 99), 3)}), warm median ${round(median(warm), 3)} ms (p99 ${round(percentile(warm, 99), 3)})`,
    );

    // 4. Full verification.
    const verifySeconds: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      const result = await verifyLog({ db, store, trustedKeys: [key.verifierKey] });
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok || result.events !== events) throw new Error(`verification failed: ${JSON.stringify(result, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`);
      verifySeconds.push(seconds);
      ctx.log(`verify run ${r + 1}/${runs}: ${events.toLocaleString("en")} events in ${round(seconds, 1)} s`);
    }

    return {
      unit: "leaves/s",
      ours: round(median(sealRates)),
      runs,
      events,
      sealBatch: batchSize,
      sealLeavesPerSecRuns: sealRates.map((r) => round(r)),
      sealNodeCpuMicrosPerLeaf: round(median(sealCpu), 2),
      sealMainThreadCpuMicrosPerLeaf: round(median(sealMain), 2),
      sealPostgresCpuMicrosPerLeaf: round(median(sealPostgres), 2),
      sealFallbackLeavesPerSec: round(median(fallback.map((f) => f.rate))),
      sealFallbackLeavesPerSecRuns: fallback.map((f) => round(f.rate)),
      sealFallbackNodeCpuMicrosPerLeaf: round(median(fallback.map((f) => f.cpuMicrosPerLeaf)), 2),
      sealFallbackPostgresCpuMicrosPerLeaf: round(median(fallback.map((f) => f.postgresMicrosPerLeaf)), 2),
      ...(compare
        ? {
            sealOneThreadLeavesPerSec: round(median(threadRates)),
            sealOneThreadLeavesPerSecRuns: threadRates.map((r) => round(r)),
            sealOneThreadNodeCpuMicrosPerLeaf: round(median(threadCpu), 2),
          }
        : {}),
      proofSamples: positions.length,
      proofColdMedianMs: round(median(cold), 3),
      proofColdP99Ms: round(percentile(cold, 99), 3),
      proofWarmMedianMs: round(median(warm), 3),
      proofWarmP99Ms: round(percentile(warm, 99), 3),
      verifySeconds: round(median(verifySeconds), 1),
      verifyEventsPerSec: round(events / median(verifySeconds)),
      verifySecondsRuns: verifySeconds.map((s) => round(s, 1)),
      stagesMicrosPerEvent: stages,
    };
  } finally {
    await log.close();
  }
}

/**
 * µs per event of each sealing stage, in process, a batch at a time (only one batch held):
 * read (readAll), canonicalise, leaf hash, tiles; readText and canonicaliseText are the sealer's
 * text path (TextEventStore, canonicalEventJsonOfText). Each text batch's leaves are also computed
 * by the leaf worker and must equal the in-thread ones (township copies, leaf for leaf).
 */
async function measureStages(store: PostgresEventStore, count: number, batchSize: number): Promise<Record<string, number>> {
  const textStore = new TextEventStore(store);
  const worker = new LeafWorker();
  const ms = { read: 0, readText: 0, shape: 0, canonical: 0, canonicalText: 0, hash: 0, tiles: 0 };
  let edge = EMPTY_EDGE;
  let seen = 0;
  let chars = 0;
  let after = { transactionId: 0n, position: 0n };
  try {
    while (seen < count) {
      const limit = Math.min(batchSize, count - seen);
      let t = performance.now();
      const all: RecordedEvent[] = await store.readAll({ after, limit });
      ms.read += performance.now() - t;
      t = performance.now();
      const texts: TextRecordedEvent[] = await textStore.readAll({ after, limit });
      ms.readText += performance.now() - t;
      if (all.length === 0) break;
      if (texts.length !== all.length) throw new Error("the text read gave another batch than the object read");
      t = performance.now();
      for (const e of all) toCanonicalEvent(e);
      ms.shape += performance.now() - t;
      t = performance.now();
      let textBytes = 0;
      for (const e of all) textBytes += canonicalEventJson(e).length;
      ms.canonical += performance.now() - t;
      chars += textBytes;
      t = performance.now();
      for (const e of texts) textBytes -= canonicalEventJsonOfText(e).length;
      ms.canonicalText += performance.now() - t;
      if (textBytes !== 0) throw new Error("the text path gave other canonical text than the object path");
      t = performance.now();
      for (const e of all) canonicalEventJson(e);
      const again = performance.now() - t;
      t = performance.now();
      const leaves = all.map((e) => leafHashOfText(canonicalEventJson(e)));
      ms.hash += performance.now() - t - again;
      t = performance.now();
      edge = appendLeaves(edge, leaves).edge;
      ms.tiles += performance.now() - t;
      const fromWorker = await worker.leaves(texts);
      if (fromWorker === undefined || fromWorker.some((leaf, i) => Buffer.compare(leaf, leaves[i]!) !== 0)) {
        throw new Error(`the leaf worker gave other leaves than the main thread after ${seen} events`);
      }
      seen += all.length;
      after = all[all.length - 1]!;
    }
  } finally {
    await worker.close();
  }
  const per = (value: number) => round((value * 1000) / seen, 2);
  return {
    read: per(ms.read),
    readText: per(ms.readText),
    canonicalise: per(ms.canonical),
    canonicaliseText: per(ms.canonicalText),
    canonicalShapeOnly: per(ms.shape),
    hash: per(ms.hash),
    tiles: per(ms.tiles),
    meanCanonicalChars: round(chars / seen),
  };
}

/** CPU time of this process's main thread (the leaf worker and GC helpers excluded), from /proc. */
function mainThreadCpuMicros(): number {
  return procCpuMicros(`/proc/self/task/${process.pid}/stat`);
}
