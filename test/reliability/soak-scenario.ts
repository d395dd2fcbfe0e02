import os from "node:os";
import { type EndCheckFigures, endCheckFailures, runEndChecks } from "./end-checks.js";
import { Journal } from "./journal.js";
import { LoadGenerator } from "./load-generator.js";
import { startServiceStack } from "./service-stack.js";
import { setUpWorkload } from "./workload.js";

export interface SoakOptions {
  minutes: number;
  ratePerSecond: number;
  clients: number;
  log: (line: string) => void;
}

export interface SoakFigures extends EndCheckFigures {
  scenario: "soak";
  minutes: number;
  ratePerSecond: number;
  clients: number;
  statuses: Record<string, number>;
  /** RSS (MB) after the warm-up and at the end of the load. */
  apiRssStartMb: number;
  apiRssEndMb: number;
  projectorRssStartMb: number;
  projectorRssEndMb: number;
  /** Every sample (MB), one per sampling interval, for a reader to judge the trend. */
  apiRssSamples: number[];
  projectorRssSamples: number[];
  elapsedSeconds: number;
  loadAvg: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Memory that grows with the work done, not noise: end above start by more than a quarter and
 * 32 MB. V8 grows its heap in steps and returns it lazily, so a smaller margin flags noise.
 */
export function grewBeyondNoise(startMb: number, endMb: number): boolean {
  return endMb - startMb > Math.max(32, startMb * 0.25);
}

/** Issue #9, scenario 3: a fixed rate for `minutes`, no faults; RSS of API and projector; every end check. */
export async function runSoak(o: SoakOptions): Promise<{ figures: SoakFigures; failures: string[] }> {
  const started = Date.now();
  const stack = await startServiceStack(o.log);
  try {
    const durationMs = o.minutes * 60_000;
    const workload = await setUpWorkload(stack.base, stack.env, o.clients, (durationMs / 1000) * o.ratePerSecond);
    o.log(`${workload.households} households; ${o.clients} clients at ${o.ratePerSecond} payments/s for ${o.minutes} min`);
    const journal = new Journal();
    const load = new LoadGenerator({ base: stack.base, tokens: workload.officerTokens, ratePerSecond: o.ratePerSecond, nextPayment: workload.nextPayment, journal });
    const apiRssSamples: number[] = [];
    const projectorRssSamples: number[] = [];
    // The start figure is taken after a warm-up (a tenth of the run, at most a minute): JIT and pools settle first.
    const warmUpMs = Math.min(60_000, durationMs / 10);
    const sampleEveryMs = Math.max(1_000, Math.min(10_000, durationMs / 60));
    const loadStarted = Date.now();
    load.start();
    let startIndex = -1;
    while (Date.now() - loadStarted < durationMs) {
      await sleep(Math.min(sampleEveryMs, durationMs - (Date.now() - loadStarted)));
      apiRssSamples.push((await stack.api.rssMb()) ?? Number.NaN);
      projectorRssSamples.push((await stack.projector.rssMb()) ?? Number.NaN);
      if (startIndex < 0 && Date.now() - loadStarted >= warmUpMs) startIndex = apiRssSamples.length - 1;
      if (apiRssSamples.length % 6 === 0) {
        o.log(
          `soak ${Math.round((Date.now() - loadStarted) / 1000)} s: ${journal.count("acknowledged")} acknowledged, ` +
            `RSS api ${apiRssSamples.at(-1)} MB, projector ${projectorRssSamples.at(-1)} MB, load ${os.loadavg()[0]?.toFixed(2)}`,
        );
      }
    }
    await load.drain(60_000);
    o.log("end checks: projections caught up, journal against the log, budgets, clean rebuild, aidtrail verify");
    const checks = await runEndChecks(stack.db, stack.pg.url, journal, stack.env);
    const first = Math.max(0, startIndex);
    const figures: SoakFigures = {
      scenario: "soak",
      minutes: o.minutes,
      ratePerSecond: o.ratePerSecond,
      clients: o.clients,
      ...checks,
      statuses: journal.statuses(),
      apiRssStartMb: apiRssSamples[first] ?? Number.NaN,
      apiRssEndMb: apiRssSamples.at(-1) ?? Number.NaN,
      projectorRssStartMb: projectorRssSamples[first] ?? Number.NaN,
      projectorRssEndMb: projectorRssSamples.at(-1) ?? Number.NaN,
      apiRssSamples,
      projectorRssSamples,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
      loadAvg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    const failures = endCheckFailures(checks);
    const nonAck = figures.sent - figures.acknowledged - figures.refused;
    if (nonAck > 0) failures.push(`${nonAck} payments without a definitive answer in a run without faults`);
    const retried = Object.entries(figures.statuses).filter(([s]) => s === "error" || Number(s) >= 500);
    if (retried.length > 0) failures.push(`answers without faults: ${JSON.stringify(Object.fromEntries(retried))}`);
    if (grewBeyondNoise(figures.apiRssStartMb, figures.apiRssEndMb)) failures.push(`API RSS grew ${figures.apiRssStartMb} → ${figures.apiRssEndMb} MB`);
    if (grewBeyondNoise(figures.projectorRssStartMb, figures.projectorRssEndMb)) {
      failures.push(`projector RSS grew ${figures.projectorRssStartMb} → ${figures.projectorRssEndMb} MB`);
    }
    return { figures, failures };
  } finally {
    await stack.close();
  }
}
