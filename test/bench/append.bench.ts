/**
 * `pnpm bench append`: our PostgresEventStore against @event-driven-io/emmett-postgresql
 * on the same PostgreSQL server (each in a fresh database of its own), alternating.
 *
 * 1. append: 16 concurrent writers, one ~300-byte disbursement event per append, each
 *    writer on streams of its own with the exact expected revision ("no_stream" first).
 * 2. bulk: 1,000 events per append, new stream each time (Emmett measured too, as a reference).
 * 3. readAll: the whole log written by (2), read in global order in batches of 1,000 —
 *    ours `readAll({after, limit})` against Emmett's `readMessagesBatch({after, batchSize})`;
 *    also this process's CPU per event read (decoding), steadier than events/s under load.
 *
 * Options: --runs N (5), --seconds S per append run (4), --writers N (16),
 * --bulk-writers N (1), --bulk-appends N per run (10), --max-in-flight N, --max-batch N,
 * --only append|bulk|readall (investigation; skips the other phases), --no-leaves (our appends
 * store no audit leaf, to see what computing it costs).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type PostgresEventStore as EmmettStore, readMessagesBatch } from "@event-driven-io/emmett-postgresql";
import { canonicalize } from "@aidtrail/audit";
import { type Database, createDb } from "@aidtrail/db";
import type { TestDatabase } from "@aidtrail/testing";
import type { Kysely } from "kysely";
import pg from "pg";
import { type GlobalCheckpoint, PostgresEventStore, START } from "@aidtrail/event-store";
import { type Writer, appendRun, disbursementEvent, emmettWriter, eventBytes, openEmmett } from "./emmett-anchor.js";
import { type BenchContext, type BenchResult, alternate, concurrently, formatRate, median, round, flagValue, positiveFlag } from "./lib.js";

interface Options {
  runs: number;
  seconds: number;
  writers: number;
  bulkWriters: number;
  bulkAppends: number;
  bulkSize: number;
  readBatch: number;
  maxInFlight: number | undefined;
  maxBatch: number | undefined;
  only: string | undefined;
  leaves: boolean;
}

function parseOptions(args: readonly string[]): Options {
  const value = (flag: string) => flagValue(args, flag);
  const num = (flag: string, fallback: number) => positiveFlag(args, flag, fallback);
  const optionalNum = (flag: string): number | undefined => (value(flag) === undefined ? undefined : num(flag, 0));
  return {
    runs: num("--runs", 5),
    seconds: num("--seconds", 4),
    writers: num("--writers", 16),
    bulkWriters: num("--bulk-writers", 1),
    bulkAppends: num("--bulk-appends", 10),
    bulkSize: 1000,
    readBatch: 1000,
    maxInFlight: optionalNum("--max-in-flight"),
    maxBatch: optionalNum("--max-batch"),
    only: value("--only"),
    leaves: !args.includes("--no-leaves"),
  };
}

// ---------------------------------------------------------------------------------------
// Workload

function oursWriter(store: PostgresEventStore): Writer {
  return {
    async append(stream, streamLength, event) {
      await store.append(stream, [event], { expectedRevision: streamLength === 0 ? "no_stream" : streamLength - 1 });
    },
    async appendMany(stream, events) {
      await store.append(stream, events, { expectedRevision: "no_stream" });
    },
  };
}

/** `writers` writers share `appends` appends of `size` events each, every one to a new stream. */
async function bulkRun(writer: Writer, tag: string, writers: number, appends: number, size: number): Promise<number> {
  const batches = Array.from({ length: size }, (_, i) => i);
  let next = 0;
  const started = performance.now();
  await concurrently(writers, async (w) => {
    for (let i = next++; i < appends; i = next++) {
      await writer.appendMany(
        `bulk-${tag}-${i}`,
        batches.map((k) => disbursementEvent(w, i * size + k)),
      );
    }
  });
  return (appends * size) / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------
// Stores

/**
 * Emmett's driver (dumbo) replaces pg's *global* parsers for int8, json and jsonb when its
 * first pool is made (jsonb then goes through JSON.parse with a bigint reviver). Our store
 * never runs next to Emmett in production, so its pool keeps pg's own parsers, taken here
 * before any Emmett store exists.
 */
const PG_OWN_PARSERS = new Map([20, 114, 3802].map((oid) => [oid, pg.types.getTypeParser(oid, "text")] as const));
const pgOwnTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    (format ?? "text") === "text" && PG_OWN_PARSERS.has(oid)
      ? PG_OWN_PARSERS.get(oid)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

interface Pair {
  oursDb: TestDatabase;
  /** Ours writes and reads through this (pg's own type parsers), not through oursDb.db. */
  oursKysely: Kysely<Database>;
  emmettDb: TestDatabase;
  ours: PostgresEventStore;
  emmett: EmmettStore;
}

async function openPair(ctx: BenchContext, options: Options): Promise<Pair> {
  const oursDb = await ctx.createDatabase();
  // Emmett gets a database of its own without our schema, and a pool of the same size as ours.
  const emmett = await openEmmett(ctx);
  // Same size and settings as createPool's, plus pg's own type parsers (see PG_OWN_PARSERS).
  const oursPool = new pg.Pool({ connectionString: oursDb.url, max: 20, application_name: "aidtrail-bench", types: pgOwnTypes });
  oursPool.on("error", () => {});
  const oursKysely = createDb(oursPool);
  const ours = new PostgresEventStore({
    db: oursKysely,
    url: oursDb.url,
    // As the product runs it: appends store each event's audit leaf (--no-leaves: they do not).
    ...(options.leaves ? { canonicalJson: canonicalize } : {}),
    ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
  });
  // Schemas exist before anything is timed.
  await ours.append("schema-check", [{ type: "Warmup", data: {} }], { expectedRevision: "any" });
  return { oursDb, oursKysely, emmettDb: emmett.db, ours, emmett: emmett.store };
}

async function closePair(pair: Pair): Promise<void> {
  await pair.ours.close();
  await pair.oursKysely.destroy();
  await pair.emmett.close();
}

async function countEvents(pair: Pair): Promise<{ ours: number; emmett: number }> {
  const ours = await pair.oursDb.pool.query<{ n: string }>("select count(*) as n from events");
  const emmett = await pair.emmettDb.pool.query<{ n: string }>("select count(*) as n from emt_messages");
  return { ours: Number(ours.rows[0]?.n), emmett: Number(emmett.rows[0]?.n) };
}

/**
 * Emmett's driver leaves `statement_timeout = 10s` on pooled connections it took for its
 * migration lock; on a busy machine VACUUM of its log can take longer, so lift it first.
 */
async function vacuumAnalyze(db: TestDatabase, table: string): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query("set statement_timeout = 0");
    await client.query(`vacuum analyze ${table}`);
  } finally {
    client.release();
  }
}

async function readAllOurs(store: PostgresEventStore, batch: number): Promise<number> {
  let after: GlobalCheckpoint = START;
  let total = 0;
  for (;;) {
    const events = await store.readAll({ after, limit: batch });
    total += events.length;
    const last = events[events.length - 1];
    if (!last || events.length < batch) return total;
    after = { transactionId: last.transactionId, position: last.position };
  }
}

async function readAllEmmett(db: TestDatabase, batch: number): Promise<number> {
  // readMessagesBatch takes a dumbo SQL executor; dumbo's SQL is a plain formatted string and
  // its node-postgres executor is `pool.query(sql)`, so the same pool Emmett writes with serves.
  const execute = { query: (sql: string) => db.pool.query(sql) } as unknown as Parameters<typeof readMessagesBatch>[0];
  let after = 0n;
  let total = 0;
  for (;;) {
    const { messages, currentGlobalPosition, areMessagesLeft } = await readMessagesBatch(execute, { after, batchSize: batch });
    total += messages.length;
    if (!areMessagesLeft || messages.length === 0) return total;
    after = currentGlobalPosition;
  }
}

/** User + system CPU of this process since `since`, in microseconds. */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

// ---------------------------------------------------------------------------------------

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const o = parseOptions(ctx.args);
  const phases = o.only ? [o.only] : ["append", "bulk", "readall"];
  const tag = () => randomUUID().slice(0, 8);
  const result: Record<string, unknown> = {};
  ctx.log(
    `${o.writers} writers, 1 event (${eventBytes()} bytes JSON) per append, ${o.runs} runs × ${o.seconds} s each, alternating ours/emmett` +
      (o.maxInFlight || o.maxBatch ? `; ours maxInFlight=${o.maxInFlight ?? "default"} maxBatch=${o.maxBatch ?? "default"}` : ""),
  );

  let oursMedian = Number.NaN;
  if (phases.includes("append")) {
    const pair = await openPair(ctx, o);
    const ours = oursWriter(pair.ours);
    const emmett = emmettWriter(pair.emmett);
    ctx.log("warm-up (1 s each, not counted)");
    await appendRun(ours, tag(), o.writers, 1);
    await appendRun(emmett, tag(), o.writers, 1);
    const runs = await alternate(
      o.runs,
      async (round) => {
        const r = await appendRun(ours, tag(), o.writers, o.seconds);
        ctx.log(`append run ${round + 1}/${o.runs} ours:   ${formatRate(r.eventsPerSec)} (p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms)`);
        return r;
      },
      async (round) => {
        const r = await appendRun(emmett, tag(), o.writers, o.seconds);
        ctx.log(`append run ${round + 1}/${o.runs} emmett: ${formatRate(r.eventsPerSec)} (p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms)`);
        return r;
      },
    );
    oursMedian = median(runs.a.map((r) => r.eventsPerSec));
    const emmettMedian = median(runs.b.map((r) => r.eventsPerSec));
    Object.assign(result, {
      anchor: "emmett-postgresql",
      anchorValue: round(emmettMedian),
      ratio: round(oursMedian / emmettMedian, 2),
      writers: o.writers,
      storedLeaves: o.leaves,
      eventBytes: eventBytes(),
      p99Ms: round(median(runs.a.map((r) => r.p99Ms)), 1),
      p99MsAnchor: round(median(runs.b.map((r) => r.p99Ms)), 1),
      oursRuns: runs.a.map((r) => round(r.eventsPerSec)),
      anchorRuns: runs.b.map((r) => round(r.eventsPerSec)),
    });
    ctx.log(`append median: ours ${formatRate(oursMedian)}, emmett ${formatRate(emmettMedian)}, ratio ${(oursMedian / emmettMedian).toFixed(2)}`);
    await closePair(pair);
  }

  if (phases.includes("bulk") || phases.includes("readall")) {
    const pair = await openPair(ctx, o);
    const ours = oursWriter(pair.ours);
    const emmett = emmettWriter(pair.emmett);
    const perRun = o.bulkAppends * o.bulkSize;
    ctx.log(`bulk: ${o.bulkAppends} appends × ${o.bulkSize} events per run, ${o.bulkWriters} writer(s), ${o.runs} runs alternating`);
    await bulkRun(ours, tag(), o.bulkWriters, 2, o.bulkSize);
    await bulkRun(emmett, tag(), o.bulkWriters, 2, o.bulkSize);
    const bulk = await alternate(
      o.runs,
      async (round) => {
        const r = await bulkRun(ours, tag(), o.bulkWriters, o.bulkAppends, o.bulkSize);
        ctx.log(`bulk run ${round + 1}/${o.runs} ours:   ${formatRate(r)} (${perRun} events)`);
        return r;
      },
      async (round) => {
        const r = await bulkRun(emmett, tag(), o.bulkWriters, o.bulkAppends, o.bulkSize);
        ctx.log(`bulk run ${round + 1}/${o.runs} emmett: ${formatRate(r)} (${perRun} events)`);
        return r;
      },
    );
    const bulkOurs = median(bulk.a);
    const bulkEmmett = median(bulk.b);
    Object.assign(result, {
      bulkEventsPerSec: round(bulkOurs),
      bulkAnchor: round(bulkEmmett),
      bulkRatio: round(bulkOurs / bulkEmmett, 2),
      bulkWriters: o.bulkWriters,
    });
    ctx.log(`bulk median: ours ${formatRate(bulkOurs)}, emmett ${formatRate(bulkEmmett)}`);
    if (!phases.includes("append")) oursMedian = bulkOurs;

    if (phases.includes("readall")) {
      // Both logs now hold the same events; settle hint bits and statistics before timing reads.
      await vacuumAnalyze(pair.oursDb, "events");
      await vacuumAnalyze(pair.emmettDb, "emt_messages");
      const counts = await countEvents(pair);
      ctx.log(`readAll: whole log (ours ${counts.ours}, emmett ${counts.emmett} events) in batches of ${o.readBatch}, ${o.runs} runs alternating`);
      await readAllOurs(pair.ours, o.readBatch);
      await readAllEmmett(pair.emmettDb, o.readBatch);
      const reads = await alternate(
        o.runs,
        async (round) => {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          const n = await readAllOurs(pair.ours, o.readBatch);
          if (n !== counts.ours) throw new Error(`ours readAll returned ${n} events, the log holds ${counts.ours}`);
          const r = { rate: n / ((performance.now() - t0) / 1000), cpuUs: cpuMicros(cpu0) / n };
          ctx.log(`readAll run ${round + 1}/${o.runs} ours:   ${formatRate(r.rate)} (${r.cpuUs.toFixed(1)} µs of Node CPU per event)`);
          return r;
        },
        async (round) => {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          const n = await readAllEmmett(pair.emmettDb, o.readBatch);
          if (n !== counts.emmett) throw new Error(`emmett readMessagesBatch returned ${n} events, the log holds ${counts.emmett}`);
          const r = { rate: n / ((performance.now() - t0) / 1000), cpuUs: cpuMicros(cpu0) / n };
          ctx.log(`readAll run ${round + 1}/${o.runs} emmett: ${formatRate(r.rate)} (${r.cpuUs.toFixed(1)} µs of Node CPU per event)`);
          return r;
        },
      );
      const readOurs = median(reads.a.map((r) => r.rate));
      const readEmmett = median(reads.b.map((r) => r.rate));
      Object.assign(result, {
        readAllEventsPerSec: round(readOurs),
        readAllAnchor: round(readEmmett),
        readAllRatio: round(readOurs / readEmmett, 2),
        // Node CPU per event read (decoding included): steadier than events/s on a busy machine.
        readAllCpuUsPerEvent: round(median(reads.a.map((r) => r.cpuUs)), 1),
        readAllCpuUsPerEventAnchor: round(median(reads.b.map((r) => r.cpuUs)), 1),
        readAllEvents: counts.ours,
        readAllBatch: o.readBatch,
      });
      ctx.log(`readAll median: ours ${formatRate(readOurs)}, emmett ${formatRate(readEmmett)}, ratio ${(readOurs / readEmmett).toFixed(2)}`);
    }
    await closePair(pair);
  }

  return {
    unit: "events/s",
    ours: round(oursMedian),
    ...result,
    runs: o.runs,
    ...(o.maxInFlight !== undefined ? { maxInFlight: o.maxInFlight } : {}),
    ...(o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {}),
  };
}
