/**
 * `pnpm bench replay [--events N]`: rebuilds every read model from a generated log of
 * ≥ 1,000,000 events and reports events/s and the rebuild's peak RSS at 250k and at 1M
 * events (it must stay flat: the projector streams batches, it never holds the log).
 *
 * The log is the cc township recorded once through the command handlers (realistic
 * events, zero refusals), then copied in SQL with every `cc-` id renamed per copy (villages
 * kept), so copies are independent households, programs and payments.
 */
import { createCommandHandlers, createInMemoryPiiVault } from "@aidtrail/commands";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { allProjections, rebuildProjections } from "@aidtrail/projections";
import { recordTownship } from "@aidtrail/testing";
import { type Kysely, sql } from "kysely";
import { type BenchContext, type BenchResult, median, round } from "./lib.js";

const SEED = 20240630;
const RUNS = 3;

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const target = Number(argValue(ctx.args, "--events") ?? 1_000_000);
  const database = await ctx.createDatabase();
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  try {
    ctx.log("recording the cc township through the command handlers");
    const handlers = createCommandHandlers({
      store,
      vault: createInMemoryPiiVault({ masterKey: Buffer.alloc(32, 1), indexKey: Buffer.alloc(32, 2) }),
    });
    const report = await recordTownship(handlers, SEED);
    if (report.refused.length > 0) throw new Error(`township refused ${report.refused.length} commands`);
    const base = await countEvents(database.db);
    const { rows } = await sql<{ p: string }>`select max(position) as p from events`.execute(database.db);
    const lastTownshipPosition = rows[0]!.p;
    ctx.log(`township: ${base} events; copying it to ${target.toLocaleString("en")} events`);

    const checkpoints = [Math.round(target / 4), target];
    const figures: Record<string, { eventsPerSec: number[]; peakRssMb: number[]; events: number }> = {};
    let copies = 1;
    for (const size of checkpoints) {
      while ((await countEvents(database.db)) < size) {
        await copyTownship(database.db, lastTownshipPosition, copies++);
      }
      const events = await countEvents(database.db);
      figures[size] = { eventsPerSec: [], peakRssMb: [], events };
      for (let r = 0; r < RUNS; r++) {
        const sampler = new PhaseRss();
        const started = performance.now();
        const result = await rebuildProjections({ db: database.db, store, projections: allProjections, swap: false });
        const seconds = (performance.now() - started) / 1000;
        const peak = sampler.stop();
        const rate = result.applied / seconds;
        figures[size]!.eventsPerSec.push(rate);
        figures[size]!.peakRssMb.push(peak);
        ctx.log(`rebuild of ${events.toLocaleString("en")} events, run ${r + 1}/${RUNS}: ${Math.round(rate).toLocaleString("en")} events/s, peak RSS ${peak} MB`);
      }
    }
    const small = figures[checkpoints[0]!]!;
    const large = figures[checkpoints[1]!]!;
    return {
      unit: "events/s",
      ours: round(median(large.eventsPerSec)),
      runs: RUNS,
      events: large.events,
      projections: allProjections.length,
      eventsPerSecAt250k: round(median(small.eventsPerSec)),
      eventsAt250k: small.events,
      rebuildPeakRssMbAt250k: median(small.peakRssMb),
      rebuildPeakRssMbAt1M: median(large.peakRssMb),
    };
  } finally {
    await store.close();
  }
}

async function countEvents(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** One more copy of the township's events, in one transaction, ids renamed `cc-` → `c<k>-`. */
async function copyTownship(db: Kysely<any>, lastTownshipPosition: string, k: number): Promise<void> {
  const prefix = `c${k}-`;
  await sql`
    insert into events (stream_id, revision, type, data, metadata)
    select regexp_replace(stream_id, 'cc-(?!v[0-9])', ${prefix}, 'g'), revision, type,
           regexp_replace(data::text, 'cc-(?!v[0-9])', ${prefix}, 'g')::jsonb, metadata
    from events where position <= ${lastTownshipPosition}::bigint
    order by transaction_id, position`.execute(db);
}

/** Peak RSS sampled during one phase only (the kernel's high-water mark covers the whole process). */
class PhaseRss {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }, 25);

  stop(): number {
    clearInterval(this.timer);
    return round(Math.max(this.peak, process.memoryUsage.rss()) / (1024 * 1024), 1);
  }
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
