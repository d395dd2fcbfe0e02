/**
 * `pnpm bench scale`: how far one PostgreSQL goes. Bulk-loads synthetic events into the
 * `events` table with set-based SQL (generate_series, chunks of 1,000,000 rows, each its
 * own transaction: one transaction id per chunk), then measures, against that table:
 *
 * 1. sizes: `pg_total_relation_size`, `pg_relation_size`, `pg_indexes_size` and each index;
 * 2. readAll: `PostgresEventStore.readAll({after, limit: 1000})` reading --read-events events
 *    per run, from the head, the middle and the tail of the log (one run each, rotating);
 * 3. append: --writers concurrent writers for --seconds per run, one ~330-byte
 *    DisbursementRecorded per append to an *existing* household stream (10 events deep)
 *    with its exact expected revision, through `PostgresEventStore` (group commit).
 *
 * Synthetic log: --households streams `household-0000000…`, each gets one event per
 * chunk, so with the defaults 1,000,000 households × 10 events. Run it on a server of its
 * own if you can (DATABASE_URL); the database is dropped when the run ends.
 *
 * Options: --events N (10,000,000), --chunk N (1,000,000), --households N (1,000,000),
 * --runs N (3), --seconds S (5), --writers N (16), --read-events N (200,000).
 */
import { performance } from "node:perf_hooks";
import { type GlobalCheckpoint, type NewEvent, PostgresEventStore, START } from "@aidtrail/event-store";
import { sql } from "kysely";
import { type BenchContext, type BenchResult, concurrently, formatRate, median, percentile, round } from "./lib.js";

interface Options {
  events: number;
  chunk: number;
  households: number;
  runs: number;
  seconds: number;
  writers: number;
  readEvents: number;
}

function parseOptions(args: readonly string[]): Options {
  const num = (flag: string, fallback: number): number => {
    const i = args.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(args[i + 1]);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${args[i + 1]}`);
    return n;
  };
  const options = {
    events: num("--events", 10_000_000),
    chunk: num("--chunk", 1_000_000),
    households: num("--households", 1_000_000),
    runs: num("--runs", 3),
    seconds: num("--seconds", 5),
    writers: num("--writers", 16),
    readEvents: num("--read-events", 200_000),
  };
  if (options.events % options.households !== 0) throw new Error("--events must be a multiple of --households");
  return options;
}

const mb = (bytes: number | string) => round(Number(bytes) / (1024 * 1024), 1);

function disbursement(writer: number, n: number, householdId: string): NewEvent {
  return {
    type: "DisbursementRecorded",
    data: {
      disbursementId: `dsb_${writer.toString(36)}${n.toString(36).padStart(8, "0")}`,
      programId: "prg_heating_2026",
      householdId,
      memberId: null,
      period: "2026-12",
      status: "recorded",
      amountFen: 120000 + (n % 500) * 100,
      ruleVersion: 3,
      inputs: { size: 1 + (n % 6) },
      slotKey: null,
    },
    metadata: { actor: `officer-${writer}`, requestId: "7f1c8a52-5a3e-4c1b-9d0e-2b6f4e8a9c13" },
  };
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const o = parseOptions(ctx.args);
  const database = await ctx.createDatabase();
  const { pool } = database;
  const streamName = (k: number) => `household-${k.toString().padStart(7, "0")}`;

  // ---- 1. bulk load ------------------------------------------------------------
  ctx.log(`loading ${o.events.toLocaleString("en-US")} events in chunks of ${o.chunk.toLocaleString("en-US")} (${o.households.toLocaleString("en-US")} streams)`);
  const loadStarted = performance.now();
  for (let first = 1; first <= o.events; first += o.chunk) {
    const last = Math.min(o.events, first + o.chunk - 1);
    const t0 = performance.now();
    // One statement, one transaction: every row of the chunk gets its transaction id.
    // Row g goes to household g mod H at revision (g-1) div H, so revisions are dense per stream.
    await pool.query(
      `insert into events (stream_id, revision, type, data, metadata, recorded_at)
       select 'household-' || lpad((g % $3)::text, 7, '0'),
              (g - 1) / $3,
              'DisbursementRecorded',
              jsonb_build_object(
                'disbursementId', 'dsb_' || g, 'programId', 'prg_heating_2026',
                'householdId', 'hh_' || lpad((g % $3)::text, 8, '0'), 'memberId', null,
                'period', '2026-' || lpad(((g % 12) + 1)::text, 2, '0'), 'status', 'recorded',
                'amountFen', 120000 + (g % 500) * 100, 'ruleVersion', 3,
                'inputs', jsonb_build_object('size', 1 + g % 6), 'slotKey', null),
              jsonb_build_object('actor', 'officer-' || (g % 97), 'requestId', md5(g::text)),
              now() - make_interval(secs => ($2 - g) / 10.0)
       from generate_series($1::bigint, $2::bigint) as g
       order by g`,
      [first, last, o.households],
    );
    const seconds = (performance.now() - t0) / 1000;
    ctx.log(`  ${last.toLocaleString("en-US")} events (chunk ${formatRate((last - first + 1) / seconds)})`);
  }
  await pool.query(
    `insert into streams (stream_id, revision)
     select 'household-' || lpad(k::text, 7, '0'), $2::bigint / $1 - 1 from generate_series(0, $1 - 1) as k`,
    [o.households, o.events],
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  ctx.log(`loaded in ${round(loadSeconds, 1)} s (${formatRate(o.events / loadSeconds)}); vacuum analyze`);
  const vacuumStarted = performance.now();
  // As autovacuum would have done by then: hint bits set, statistics current.
  await pool.query("vacuum (analyze) events");
  await pool.query("vacuum (analyze) streams");
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;

  // ---- 2. sizes ----------------------------------------------------------------
  const { rows: sizeRows } = await pool.query<{ total: string; heap: string; indexes: string; toast: string; rows: string }>(
    `select pg_total_relation_size('events') as total, pg_relation_size('events') as heap,
            pg_indexes_size('events') as indexes,
            coalesce(pg_total_relation_size(nullif(reltoastrelid, 0)), 0) as toast,
            (select count(*) from events) as rows
     from pg_class where relname = 'events'`,
  );
  const sizes = sizeRows[0]!;
  const { rows: indexRows } = await pool.query<{ name: string; bytes: string }>(
    `select indexrelid::regclass::text as name, pg_relation_size(indexrelid) as bytes
     from pg_index where indrelid = 'events'::regclass order by 1`,
  );
  const { rows: streamRows } = await pool.query<{ total: string }>(`select pg_total_relation_size('streams') as total`);
  const indexMb = Object.fromEntries(indexRows.map((r) => [r.name, mb(r.bytes)]));
  ctx.log(
    `events: ${Number(sizes.rows).toLocaleString("en-US")} rows, total ${mb(sizes.total)} MB (heap ${mb(sizes.heap)}, toast ${mb(sizes.toast)}, indexes ${mb(sizes.indexes)}: ${JSON.stringify(indexMb)}); streams ${mb(streamRows[0]!.total)} MB`,
  );

  const store = new PostgresEventStore({ db: database.db, url: database.url });
  try {
    // ---- 3. readAll ------------------------------------------------------------
    const checkpointAt = async (position: number): Promise<GlobalCheckpoint> => {
      if (position <= 0) return START;
      const { rows } = await pool.query<{ tx: string; position: string }>(
        "select transaction_id::text as tx, position from events where position = $1",
        [position],
      );
      return { transactionId: BigInt(rows[0]!.tx), position: BigInt(rows[0]!.position) };
    };
    const starts = [
      { where: "head", at: 0 },
      { where: "middle", at: Math.floor(o.events / 2) },
      { where: "tail", at: Math.max(0, o.events - o.readEvents) },
    ];
    const readRates: number[] = [];
    const readRuns: Array<{ from: string; eventsPerSec: number }> = [];
    for (let r = 0; r < o.runs; r++) {
      const start = starts[r % starts.length]!;
      let after = await checkpointAt(start.at);
      let read = 0;
      const t0 = performance.now();
      while (read < o.readEvents) {
        const page = await store.readAll({ after, limit: 1000 });
        if (page.length === 0) break;
        read += page.length;
        const last = page.at(-1)!;
        after = { transactionId: last.transactionId, position: last.position };
      }
      const rate = read / ((performance.now() - t0) / 1000);
      if (read < Math.min(o.readEvents, o.events - start.at)) throw new Error(`readAll from the ${start.where} stopped after ${read} events`);
      readRates.push(rate);
      readRuns.push({ from: start.where, eventsPerSec: Math.round(rate) });
      ctx.log(`readAll run ${r + 1}/${o.runs} from the ${start.where}: ${read.toLocaleString("en-US")} events, ${formatRate(rate)}`);
    }

    // ---- 4. append -------------------------------------------------------------
    const appendRates: number[] = [];
    const latencies: number[] = [];
    // Each writer owns a disjoint slice of households, so conflicts come only from the test's mistakes.
    const perWriter = Math.floor(o.households / o.writers);
    const revisions = new Map<number, number>();
    let n = 0;
    for (let r = 0; r < o.runs; r++) {
      let appended = 0;
      const deadline = performance.now() + o.seconds * 1000;
      const t0 = performance.now();
      await concurrently(o.writers, async (w) => {
        let k = 0;
        while (performance.now() < deadline) {
          // Spread over the writer's slice: appends land all over the unique index, as real traffic does.
          const household = w * perWriter + ((k++ * 7919 + r * 104_729) % perWriter);
          const revision = revisions.get(household) ?? o.events / o.households - 1;
          const a0 = performance.now();
          await store.append(streamName(household), [disbursement(w, n++, `hh_${household}`)], { expectedRevision: revision });
          latencies.push(performance.now() - a0);
          revisions.set(household, revision + 1);
          appended++;
        }
      });
      const rate = appended / ((performance.now() - t0) / 1000);
      appendRates.push(rate);
      ctx.log(`append run ${r + 1}/${o.runs}: ${appended.toLocaleString("en-US")} appends by ${o.writers} writers, ${formatRate(rate)}`);
    }

    return {
      unit: "events/s",
      ours: Math.round(median(appendRates)),
      appendEventsPerSec: Math.round(median(appendRates)),
      appendRuns: appendRates.map(Math.round),
      appendP99Ms: round(percentile(latencies, 99), 1),
      writers: o.writers,
      readAllEventsPerSec: Math.round(median(readRates)),
      readAllRuns: readRuns,
      readAllEventsPerRun: o.readEvents,
      readAllBatch: 1000,
      events: Number(sizes.rows),
      streams: o.households,
      loadSeconds: round(loadSeconds, 1),
      loadEventsPerSec: Math.round(o.events / loadSeconds),
      vacuumAnalyzeSeconds: round(vacuumSeconds, 1),
      eventsTotalMb: mb(sizes.total),
      eventsHeapMb: mb(sizes.heap),
      eventsToastMb: mb(sizes.toast),
      eventsIndexesMb: mb(sizes.indexes),
      indexMb,
      streamsTotalMb: mb(streamRows[0]!.total),
      bytesPerEvent: Math.round(Number(sizes.total) / Number(sizes.rows)),
      runs: o.runs,
    };
  } finally {
    await store.close();
  }
}
