import os from "node:os";
import { type EndCheckFigures, endCheckFailures, runEndChecks } from "./end-checks.js";
import { Journal } from "./journal.js";
import { LoadGenerator } from "./load-generator.js";
import { type ServiceStack, startServiceStack } from "./service-stack.js";
import { setUpWorkload } from "./workload.js";

export interface FaultScenarioOptions {
  /** Length of the load; the faults fall at fixed fractions of it. */
  seconds: number;
  ratePerSecond: number;
  clients: number;
  /** How long PostgreSQL stays stopped. */
  pgDownSeconds: number;
  log: (line: string) => void;
  /** Where to write the journal (JSON lines), if anywhere. */
  journalFile?: string;
}

/** How the service came back from PostgreSQL's outage; what the clients saw is counted after the drain. */
export interface OutageFigures {
  /** From PostgreSQL accepting connections again to the first 2xx answer. */
  recoverySeconds: number;
  /** The API process survived the outage (it must recover by itself, without a restart). */
  apiSurvived: boolean;
  projectorSurvived: boolean;
}

export interface FaultFigures extends EndCheckFigures, OutageFigures {
  scenario: "faults";
  seconds: number;
  ratePerSecond: number;
  clients: number;
  pgDownSeconds: number;
  statuses: Record<string, number>;
  /** Attempts answered 500 (a crash path, not the database-unavailable answer). */
  status500: number;
  /** 503 answers that were not problem+json or carried a stack trace. */
  bad503: number;
  /** Attempts the client gave up waiting for (15 s): a hang; while PostgreSQL was away there must be none. */
  hangs: number;
  hangsWhileDown: number;
  /** Attempts started while PostgreSQL was stopped, by status ("error": no answer, must be 0). */
  statusesWhileDown: Record<string, number>;
  /** SIGKILL to ready again: the API, and the projector until it holds the lease. */
  apiRestartSeconds: number;
  projectorTakeoverSeconds: number;
  skippedTicks: number;
  /** Seconds from the start of the load at which each fault began and ended. */
  timeline: Record<string, number>;
  elapsedSeconds: number;
  loadAvg: number[];
}

const ATTEMPT_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

function looksLikeStack(body: string): boolean {
  return /"stack"|\n\s+at\s/.test(body);
}

/** Waits for the first 2xx answer that arrived after `since` (epoch ms); its arrival time. */
async function firstSuccessAfter(journal: Journal, since: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let first = Number.POSITIVE_INFINITY;
    for (const a of journal.attempts()) if (a.status !== null && a.status < 300 && a.endedAt >= since) first = Math.min(first, a.endedAt);
    if (first < Number.POSITIVE_INFINITY) return first;
    if (Date.now() > deadline) throw new Error(`no 2xx answer within ${timeoutMs} ms after PostgreSQL returned`);
    await sleep(50);
  }
}

/** Attempts started while PostgreSQL was stopped, by status ("error": no answer at all). */
function statusesBetween(journal: Journal, from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of journal.attempts()) {
    if (a.startedAt < from || a.startedAt >= to) continue;
    const key = a.status === null ? "error" : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** PostgreSQL stopped for a while and started again, under load. */
async function postgresOutage(stack: ServiceStack, journal: Journal, o: FaultScenarioOptions, window: { downAt: number; backAt: number }): Promise<OutageFigures> {
  o.log(`fault: stopping PostgreSQL for ${o.pgDownSeconds} s`);
  window.downAt = Date.now();
  await stack.pg.stop();
  await sleep(o.pgDownSeconds * 1000);
  await stack.pg.restart();
  window.backAt = Date.now();
  const recoveredAt = await firstSuccessAfter(journal, window.backAt, 120_000);
  o.log(`fault: PostgreSQL back; first 2xx after ${seconds(recoveredAt - window.backAt)} s`);
  return { recoverySeconds: seconds(recoveredAt - window.backAt), apiSurvived: stack.api.running, projectorSurvived: stack.projector.running };
}

async function killAndRestart(name: string, kill: () => Promise<void>, start: () => Promise<void>, log: (line: string) => void): Promise<number> {
  log(`fault: SIGKILL ${name}`);
  const killedAt = Date.now();
  await kill();
  await start();
  const took = seconds(Date.now() - killedAt);
  log(`fault: ${name} ready again after ${took} s`);
  return took;
}

/**
 * Issue #9, scenarios 1 and 2: steady load from several clients while the projector, then
 * PostgreSQL, then the API are taken away; then every check from the database and the journal.
 */
export async function runFaultScenario(o: FaultScenarioOptions): Promise<{ figures: FaultFigures; failures: string[] }> {
  const started = Date.now();
  const stack = await startServiceStack(o.log);
  try {
    const workload = await setUpWorkload(stack.base, stack.env, o.clients, o.seconds * o.ratePerSecond);
    o.log(`${workload.households} households, 2 programs; ${o.clients} clients at ${o.ratePerSecond} payments/s for ${o.seconds} s`);
    const journal = new Journal();
    const load = new LoadGenerator({
      base: stack.base,
      tokens: workload.officerTokens,
      ratePerSecond: o.ratePerSecond,
      nextPayment: workload.nextPayment,
      journal,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    });
    const loadStarted = Date.now();
    const at = async (fraction: number) => sleep(Math.max(0, loadStarted + fraction * o.seconds * 1000 - Date.now()));
    const timeline: Record<string, number> = {};
    const mark = (name: string) => {
      timeline[name] = seconds(Date.now() - loadStarted);
    };
    load.start();

    await at(0.15);
    mark("projectorKilled");
    const projectorTakeoverSeconds = await killAndRestart("projector", () => stack.projector.kill(), () => stack.startProjector(), o.log);
    mark("projectorBack");
    await at(0.35);
    mark("postgresStopped");
    const outageWindow = { downAt: 0, backAt: 0 };
    const outage = await postgresOutage(stack, journal, o, outageWindow);
    mark("postgresRecovered");
    await at(0.65);
    // Attempts started while PostgreSQL was down get their answer (or time out) before the API is
    // killed: its SIGKILL must not be what cuts them.
    await sleep(Math.max(0, outageWindow.backAt + ATTEMPT_TIMEOUT_MS + 1_000 - Date.now()));
    mark("apiKilled");
    const apiRestartSeconds = await killAndRestart("API", () => stack.api.kill(), () => stack.startApi(), o.log);
    mark("apiBack");
    await at(1);
    mark("loadStopped");
    o.log(`load stopped; ${load.pending} payments still retrying`);
    await load.drain(60_000);
    if (o.journalFile) {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(o.journalFile, journal.toJsonLines());
    }

    // Counted after the drain, so attempts started while it was down have ended (answered or timed out).
    const statusesWhileDown = statusesBetween(journal, outageWindow.downAt, outageWindow.backAt);
    o.log(`answers to attempts started while PostgreSQL was down: ${JSON.stringify(statusesWhileDown)}`);
    o.log("end checks: projections caught up, journal against the log, budgets, clean rebuild, aidtrail verify");
    const checks = await runEndChecks(stack.db, stack.pg.url, journal, stack.env);
    let status500 = 0;
    let bad503 = 0;
    let hangs = 0;
    for (const a of journal.attempts()) {
      if (a.status === 500) status500++;
      if (a.status === 503 && (!a.contentType.startsWith("application/problem+json") || looksLikeStack(a.body))) bad503++;
      if (a.status === null && a.error === "timeout") hangs++;
    }
    const figures: FaultFigures = {
      scenario: "faults",
      seconds: o.seconds,
      ratePerSecond: o.ratePerSecond,
      clients: o.clients,
      pgDownSeconds: o.pgDownSeconds,
      ...checks,
      statuses: journal.statuses(),
      status500,
      bad503,
      hangs,
      statusesWhileDown,
      hangsWhileDown: statusesWhileDown.error ?? 0,
      ...outage,
      apiRestartSeconds,
      projectorTakeoverSeconds,
      skippedTicks: load.skippedTicks,
      timeline,
      elapsedSeconds: seconds(Date.now() - started),
      loadAvg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    const failures = endCheckFailures(checks);
    if (status500 > 0) failures.push(`${status500} answers were 500`);
    if (bad503 > 0) failures.push(`${bad503} 503 answers were not problem+json or carried a stack`);
    if (figures.hangsWhileDown > 0) failures.push(`${figures.hangsWhileDown} requests got no answer while PostgreSQL was away (503 expected)`);
    if ((statusesWhileDown["503"] ?? 0) === 0) failures.push("no 503 while PostgreSQL was stopped");
    if (!outage.apiSurvived) failures.push("the API process died while PostgreSQL was away");
    if (!outage.projectorSurvived) failures.push("the projector process died while PostgreSQL was away");
    if (figures.unresolved > 0) failures.push(`${figures.unresolved} payments never got a definitive answer`);
    return { figures, failures };
  } finally {
    await stack.close();
  }
}
