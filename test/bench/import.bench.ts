/**
 * `pnpm bench import`: `aidtrail import disbursements FILE` (the command's own function, in this
 * process, so RssSampler sees the importer) against the started service (`aidtrail start` as a
 * child process on a fresh database of the bench's PostgreSQL), per run a service of its own.
 *
 * Workload: `--rows` valid disbursement rows (100,000) in a generated CSV in a temp folder, over
 * `--programs` solar_subsidy programs (4) paying 500 yuan per household and month and
 * `--households` households (500), all set up through the API first. Row k pays program k mod P,
 * household ⌊k / P⌋ mod H, month ⌊k / (P·H)⌋ from 2000-01, so no slot collides and none is refused.
 *
 * Figures: rows/s of the import (median of `--runs`, 3), peak RSS of this process. Checks (the bench
 * fails otherwise): the import reports no refusal; exactly `--rows` DisbursementRecorded events exist,
 * one per disbursement id; a re-run of the same file (timed too) adds no event at all.
 *
 * Options: --rows N (100000), --runs N (3), --households N (500), --programs N (4),
 * --concurrency N (the import's default when absent; `16,64` alternates settings per round and
 * reports each, the first is `ours`), --wait-ms N (the service's read-your-writes wait, its
 * default when absent).
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { signHs256 } from "@aidtrail/api";
import { sql } from "kysely";
import { importCommand } from "../../services/cli/src/commands/import.js";
import { type BenchService, startBenchService, stopBenchService } from "./bench-service.js";
import { type BenchContext, type BenchResult, flagValue, median, positiveFlag, round } from "./lib.js";

const VILLAGE = "import-village";
const AMOUNT_FEN = 50_000;
const HEADER = "disbursementId,householdId,memberId,programId,period,amountFen,paidOn,channel,reference,inputs";

interface Options {
  rows: number;
  runs: number;
  households: number;
  programs: number;
  concurrency: string | undefined;
  waitMs: string | undefined;
}

function parseOptions(args: readonly string[]): Options {
  const o = {
    rows: positiveFlag(args, "--rows", 100_000),
    runs: positiveFlag(args, "--runs", 3),
    households: positiveFlag(args, "--households", 500),
    programs: positiveFlag(args, "--programs", 4),
    concurrency: flagValue(args, "--concurrency"),
    waitMs: flagValue(args, "--wait-ms"),
  };
  if (o.rows > o.households * o.programs * 12 * 100) throw new Error("--rows needs more households or programs (100 years of months at most)");
  return o;
}

const householdId = (h: number) => `ih-${String(h).padStart(5, "0")}`;
const programId = (p: number) => `imp-solar-${p}`;

/** The CSV, written as a stream so the bench's own memory stays out of the importer's peak. */
async function writeCsv(file: string, o: Options): Promise<void> {
  const out = createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(`${HEADER}\n`);
  const perMonth = o.programs * o.households;
  for (let k = 0; k < o.rows; k++) {
    const month = Math.floor(k / perMonth);
    const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
    const h = householdId(Math.floor(k / o.programs) % o.households);
    await write(`imp-${k},${h},,${programId(k % o.programs)},${period},${AMOUNT_FEN},2024-03-15,one_card,ref-${k},\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

// ---------------------------------------------------------------------------------------
// The service

interface Service extends BenchService {
  secret: string;
}

async function startService(ctx: BenchContext, o: Options): Promise<Service> {
  const secret = randomBytes(32).toString("base64url");
  const env = { AIDTRAIL_JWT_SECRET: secret, ...(o.waitMs === undefined ? {} : { AIDTRAIL_WAIT_FOR_PROJECTION_MS: o.waitMs }) };
  return { ...(await startBenchService(ctx, { name: "import", env })), secret };
}

async function post(service: Service, role: "officer" | "admin", url: string, body: unknown): Promise<void> {
  const bearer = signHs256({ sub: `bench-${role}`, roles: [role], scope: "township" }, service.secret, 3_600);
  const res = await fetch(`${service.base}${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`setup POST ${url} answered ${res.status}: ${await res.text()}`);
}

/** Programs, their allocations and the households, through the API as an admin and an officer would. */
async function setUp(service: Service, o: Options): Promise<void> {
  for (let p = 0; p < o.programs; p++) {
    await post(service, "admin", "/v1/programs", {
      programId: programId(p),
      name: `光伏扶贫 ${p} (bench)`,
      kind: "solar_subsidy",
      fundingSource: "central",
      rule: { kind: "solar_subsidy", version: 1, approvalThresholdFen: 10_000_000, postExitMonths: 0, perMember: false, granularity: "month", amountPerPeriodFen: AMOUNT_FEN },
    });
    await post(service, "admin", `/v1/programs/${programId(p)}/allocations`, { allocationId: `bench-${p}`, amountFen: 1_000_000_000_000, period: "2024" });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let h = next++; h < o.households; h = next++) {
        const id = householdId(h);
        await post(service, "officer", "/v1/households", {
          householdId: id,
          villageId: VILLAGE,
          headMemberId: `${id}-1`,
          members: [{ memberId: `${id}-1`, name: "张三", nationalId: `32010219800501${String(h % 10_000).padStart(4, "0")}`, birthDate: "1980-05-01", relation: "head", schoolLevel: null, health: "healthy" }],
          povertyCause: "illness",
          registeredOn: "1999-01-10",
        });
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------
// The import and its checks

/** Runs `aidtrail import disbursements FILE` as main.ts would, pointed at this service; fails on any refusal. */
async function runImport(service: Service, file: string, o: Options): Promise<number> {
  process.env.AIDTRAIL_URL = service.base;
  process.env.AIDTRAIL_JWT_SECRET = service.secret;
  process.exitCode = undefined;
  const started = performance.now();
  await importCommand(["disbursements", file, ...(o.concurrency ? ["--concurrency", o.concurrency] : [])]);
  const seconds = (performance.now() - started) / 1000;
  if (process.exitCode) throw new Error(`the import refused rows (exit code ${process.exitCode}); service log:\n${service.output.slice(-20).join("\n")}`);
  return seconds;
}

async function counts(service: Service): Promise<{ events: number; recorded: number; distinctIds: number }> {
  const { rows } = await sql<{ events: string; recorded: string; distinct_ids: string }>`
    select count(*) as events,
           count(*) filter (where type = 'DisbursementRecorded') as recorded,
           count(distinct data->>'disbursementId') filter (where type = 'DisbursementRecorded') as distinct_ids
      from events`.execute(service.db.db);
  const r = rows[0];
  return { events: Number(r?.events), recorded: Number(r?.recorded), distinctIds: Number(r?.distinct_ids) };
}

interface ImportRun {
  rowsPerSec: number;
  rerunRowsPerSec: number;
  eventsPerRow: number;
}

async function oneRun(ctx: BenchContext, file: string, o: Options, run: number): Promise<ImportRun> {
  const service = await startService(ctx, o);
  try {
    await setUp(service, o);
    const before = await counts(service);
    ctx.log(`run ${run + 1}: service ready, ${o.households} households and ${o.programs} programs set up (${before.events} events); importing ${o.rows} rows`);
    const seconds = await runImport(service, file, o);
    const after = await counts(service);
    if (after.recorded - before.recorded !== o.rows || after.distinctIds !== o.rows) {
      throw new Error(`expected ${o.rows} DisbursementRecorded with distinct ids, found ${after.recorded - before.recorded} (${after.distinctIds} distinct ids)`);
    }
    const rerunSeconds = await runImport(service, file, o);
    const again = await counts(service);
    if (again.events !== after.events) throw new Error(`the re-run wrote ${again.events - after.events} events`);
    const r = { rowsPerSec: round(o.rows / seconds), rerunRowsPerSec: round(o.rows / rerunSeconds), eventsPerRow: round((after.events - before.events) / o.rows, 2) };
    ctx.log(`run ${run + 1}: ${r.rowsPerSec} rows/s (${round(seconds, 1)} s), re-run ${r.rerunRowsPerSec} rows/s adding 0 events; ${r.eventsPerRow} events per row; load ${round(os.loadavg()[0] ?? 0, 2)}`);
    return r;
  } finally {
    await stopBenchService(service);
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const o = parseOptions(ctx.args);
  // `--concurrency 16,64` compares settings: each round runs every one, in alternating order.
  const settings = (o.concurrency ?? "").split(",").filter(Boolean);
  const variants = settings.length > 0 ? settings : [undefined];
  const dir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-import-data-"));
  try {
    const file = path.join(dir, "disbursements.csv");
    await writeCsv(file, o);
    ctx.log(`${o.rows} rows written to ${file}`);
    const runs = new Map<string, ImportRun[]>(variants.map((v) => [v ?? "default", []]));
    const loads: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
        ctx.log(`round ${i + 1}: concurrency ${v ?? "default"}`);
        runs.get(v ?? "default")?.push(await oneRun(ctx, file, { ...o, concurrency: v }, i));
        loads.push(round(os.loadavg()[0] ?? 0, 2));
      }
    }
    const [main = [], ...others] = [...runs.values()];
    const byConcurrency = Object.fromEntries([...runs].map(([c, r]) => [c, { rowsPerSec: median(r.map((x) => x.rowsPerSec)), runs: r.map((x) => x.rowsPerSec) }]));
    return {
      unit: "rows/s",
      ours: median(main.map((r) => r.rowsPerSec)),
      format: "csv",
      rows: o.rows,
      recordedExactlyOnce: true,
      rerunAddedEvents: 0,
      rerunRowsPerSec: median(main.map((r) => r.rerunRowsPerSec)),
      eventsPerRow: median(main.map((r) => r.eventsPerRow)),
      oursRuns: main.map((r) => r.rowsPerSec),
      ...(others.length > 0 ? { byConcurrency } : {}),
      loadAvgRuns: loads,
      households: o.households,
      programs: o.programs,
      concurrency: variants[0] === undefined ? "default" : Number(variants[0]),
      runs: o.runs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
