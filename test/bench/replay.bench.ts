/**
 * `pnpm bench replay [--events N] [--parallelism N] [--projections a,b] [--runs N]`: rebuilds every
 * read model (or the named ones: what each costs alone) from a generated
 * log of ≥ 1,000,000 events and reports, at 250k and at 1M events, events/s, CPU per event (node,
 * PostgreSQL), how much node sat idle or waited for a core, and the rebuild's peak RSS (it must
 * stay flat: the projector streams batches, it never holds the log).
 *
 * The log is the cc township recorded once through the command handlers (realistic
 * events, zero refusals), then copied in SQL with every `cc-` id renamed per copy (villages
 * kept), so copies are independent households, programs and payments.
 */
import { readFileSync } from "node:fs";
import { allProjections, type Projection, rebuildProjections } from "@aidtrail/projections";
import { type BenchContext, type BenchResult, flagValue, median, positiveFlag, round } from "./lib.js";
import { postgresCpuMicros, postmasterPid } from "./postgres-cpu.js";
import { openTownshipLog } from "./township-log.js";

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const target = Number(flagValue(ctx.args, "--events") ?? 1_000_000);
  const RUNS = positiveFlag(ctx.args, "--runs", 3);
  const projections = chosenProjections(flagValue(ctx.args, "--projections"));
  // Apply transactions at once (rebuildProjections' default unless given), for A/B runs.
  const parallelism = flagValue(ctx.args, "--parallelism") === undefined ? undefined : positiveFlag(ctx.args, "--parallelism", 1);
  const log = await openTownshipLog(ctx);
  try {
    const checkpoints = [Math.round(target / 4), target];
    const figures: Record<string, { eventsPerSec: number[]; peakRssMb: number[]; nodeCpuUs: number[]; postgresCpuUs: number[]; idleShare: number[]; readyWaitUs: number[]; events: number }> = {};
    // The whole server's CPU (embedded: this bench is its only client; with DATABASE_URL, others' work counts too).
    const postmaster = await postmasterPid(log.database.db);
    for (const size of checkpoints) {
      const events = await log.growTo(size);
      figures[size] = { eventsPerSec: [], peakRssMb: [], nodeCpuUs: [], postgresCpuUs: [], idleShare: [], readyWaitUs: [], events };
      for (let r = 0; r < RUNS; r++) {
        const sampler = new PhaseRss();
        const started = performance.now();
        const cpu = process.cpuUsage();
        const postgresBefore = postgresCpuMicros(postmaster);
        const loop = performance.eventLoopUtilization();
        const readyBefore = mainThreadReadyWaitNs();
        const result = await rebuildProjections({ db: log.database.db, store: log.store, projections, swap: false, ...(parallelism ? { parallelism } : {}) });
        const seconds = (performance.now() - started) / 1000;
        const peak = sampler.stop();
        const used = process.cpuUsage(cpu);
        const postgresCpuUs = (postgresCpuMicros(postmaster) - postgresBefore) / result.applied;
        // How well node and PostgreSQL overlap: the share of the rebuild node's loop had nothing to run
        // (waiting on PostgreSQL or the log), and how long per event it waited for a core while it had.
        const idleShare = 1 - performance.eventLoopUtilization(loop).utilization;
        const readyWaitUs = (mainThreadReadyWaitNs() - readyBefore) / 1000 / result.applied;
        // CPU per event of this process and of the PostgreSQL server: less moved by the load than events/s.
        const nodeCpuUs = (used.user + used.system) / result.applied;
        const rate = result.applied / seconds;
        figures[size]!.nodeCpuUs.push(nodeCpuUs);
        figures[size]!.postgresCpuUs.push(postgresCpuUs);
        figures[size]!.idleShare.push(idleShare);
        figures[size]!.readyWaitUs.push(readyWaitUs);
        figures[size]!.eventsPerSec.push(rate);
        figures[size]!.peakRssMb.push(peak);
        ctx.log(`rebuild of ${events.toLocaleString("en")} events, run ${r + 1}/${RUNS}: ${Math.round(rate).toLocaleString("en")} events/s, CPU µs/event: node ${round(nodeCpuUs, 1)}, PostgreSQL ${round(postgresCpuUs, 1)}; node idle ${round(idleShare * 100)} %, waiting for a core ${round(readyWaitUs, 1)} µs/event; peak RSS ${peak} MB`);
      }
    }
    const small = figures[checkpoints[0]!]!;
    const large = figures[checkpoints[1]!]!;
    return {
      unit: "events/s",
      ours: round(median(large.eventsPerSec)),
      runs: RUNS,
      events: large.events,
      projections: projections.length,
      eventsPerSecAt250k: round(median(small.eventsPerSec)),
      eventsAt250k: small.events,
      rebuildPeakRssMbAt250k: median(small.peakRssMb),
      rebuildPeakRssMbAt1M: median(large.peakRssMb),
      nodeCpuUsPerEventAt250k: round(median(small.nodeCpuUs)),
      nodeCpuUsPerEventAt1M: round(median(large.nodeCpuUs)),
      postgresCpuUsPerEventAt250k: round(median(small.postgresCpuUs), 1),
      postgresCpuUsPerEventAt1M: round(median(large.postgresCpuUs), 1),
      nodeIdleShareAt250k: round(median(small.idleShare), 2),
      nodeIdleShareAt1M: round(median(large.idleShare), 2),
      nodeReadyWaitUsPerEventAt250k: round(median(small.readyWaitUs), 1),
      nodeReadyWaitUsPerEventAt1M: round(median(large.readyWaitUs), 1),
    };
  } finally {
    await log.close();
  }
}


/** The projections named by `--projections` (comma-separated), or all; an unknown name stops the bench. */
function chosenProjections(names: string | undefined): Projection[] {
  if (names === undefined) return allProjections;
  return names.split(",").map((name) => {
    const found = allProjections.find((p) => p.name === name);
    if (!found) throw new Error(`--projections: no projection "${name}" (known: ${allProjections.map((p) => p.name).join(", ")})`);
    return found;
  });
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

/** ns this process's main thread has waited for a core while ready to run (/proc schedstat); NaN where unreadable. */
function mainThreadReadyWaitNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[1]);
  } catch {
    return Number.NaN;
  }
}
