import { parseArgs } from "node:util";
import type { Role } from "@aidtrail/domain";
import { type ComparableReport, type TownshipCommand, buildTownship, compareWithSeed } from "@aidtrail/testing";
import { ApiClient } from "../api-client.js";
import { createProgress } from "../progress.js";
import { UsageError } from "../usage-error.js";

const USAGE = "usage: aidtrail demo [--seed N] [--concurrency N]";

/** The HTTP request of one township command, and who sends it. */
function toRequest(c: TownshipCommand): { method: "POST"; path: string; body: unknown; sub: string; roles: Role[] } {
  switch (c.kind) {
    case "defineProgram":
      return { method: "POST", path: "/v1/programs", body: c.data, sub: "demo-admin", roles: ["admin"] };
    case "addAllocation": {
      const { programId, ...body } = c.data;
      return { method: "POST", path: `/v1/programs/${encodeURIComponent(programId)}/allocations`, body, sub: "demo-admin", roles: ["admin"] };
    }
    case "registerHousehold":
      return { method: "POST", path: "/v1/households", body: c.data, sub: c.ctx.actor.id, roles: ["officer"] };
    case "changeHouseholdStatus": {
      const { householdId, to, ...rest } = c.data;
      return { method: "POST", path: `/v1/households/${encodeURIComponent(householdId)}/status`, body: { status: to, ...rest }, sub: c.ctx.actor.id, roles: ["officer"] };
    }
    case "recordStake":
      return { method: "POST", path: "/v1/stakes", body: c.data, sub: c.ctx.actor.id, roles: ["officer"] };
    case "recordLoan":
      return { method: "POST", path: "/v1/loans", body: c.data, sub: c.ctx.actor.id, roles: ["officer"] };
    case "recordDisbursement":
      return { method: "POST", path: "/v1/disbursements", body: c.data, sub: c.ctx.actor.id, roles: ["officer"] };
    case "approveDisbursement":
      // Maker-checker: the approver is never the officer who prepared the payment.
      return { method: "POST", path: `/v1/disbursements/${encodeURIComponent(c.data.disbursementId)}/approve`, body: {}, sub: "demo-approver", roles: ["approver"] };
    default: {
      const _exhaustive: never = c;
      throw new Error(`unknown township command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * `aidtrail demo`: loads the cc township (cc-township.json, the generator of packages/testing)
 * through the running API with admin, per-village officer and approver tokens, then asks for the
 * first-half summary report and compares it with the printed report's figures, footnoting where
 * the printed report contradicts itself. Exit code 1 if a figure differs without a reading.
 */
export async function demo(args: string[]): Promise<void> {
  let values: { seed?: string; concurrency?: string };
  try {
    ({ values } = parseArgs({ args, options: { seed: { type: "string" }, concurrency: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const seed = Number(values.seed ?? "20240630");
  const concurrency = Number(values.concurrency ?? "16");
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(concurrency) || concurrency < 1) throw new UsageError(USAGE);
  const api = await ApiClient.fromEnvironment();
  const plan = buildTownship(seed);
  const tokens = new Map<string, Record<string, string>>();
  const headers = (sub: string, roles: Role[]) => {
    const key = `${sub}|${roles.join(",")}`;
    const known = tokens.get(key);
    if (known) return known;
    const minted = api.auth(sub, roles);
    tokens.set(key, minted);
    return minted;
  };
  const failures: string[] = [];
  const total = plan.phases.reduce((s, p) => s + p.commands.length, 0);
  const progress = createProgress(`demo: cc township (seed ${seed}) → ${api.baseUrl}`, total, "commands");
  let done = 0;
  for (const phase of plan.phases) {
    await runPool(phase.commands, concurrency, async (command) => {
      const r = toRequest(command);
      const res = await api.request(r.method, r.path, headers(r.sub, r.roles), r.body);
      if (res.status >= 300) failures.push(`${phase.name} ${r.path}: ${res.status} ${res.body.slice(0, 300)}`);
      progress.update(++done, phase.name);
    });
  }
  progress.finish(`${total} commands, ${failures.length} failed`);
  for (const f of failures.slice(0, 20)) process.stderr.write(`  ${f}\n`);

  const auditor = headers("demo-auditor", ["auditor"]);
  const res = await api.request("GET", "/v1/reports/summary?from=2024-01-01&to=2024-06-30", auditor);
  if (res.status !== 200) throw new Error(`the report answered ${res.status}: ${res.body}`);
  const report = res.json<ComparableReport>();
  const comparison = compareWithSeed(report);
  const width = Math.max(...comparison.lines.map((l) => l.figure.length));
  process.stdout.write(`\nfirst half 2024 (2024-01-01 … 2024-06-30): the report against cc-township.json\n\n`);
  process.stdout.write(`${"figure".padEnd(width)}  ${"printed".padStart(12)}  ${"aidtrail".padStart(12)}\n`);
  for (const l of comparison.lines) {
    const mark = l.verdict === "match" ? "=" : l.note ? "≠ reading" : "≠ MISMATCH";
    process.stdout.write(`${l.figure.padEnd(width)}  ${String(l.seed).padStart(12)}  ${String(l.report).padStart(12)}  ${mark}${l.note ? ` — ${l.note}` : ""}\n`);
  }
  process.stdout.write("\n附注 (where the printed report contradicts itself):\n");
  for (const [i, f] of comparison.footnotes.entries()) process.stdout.write(`  ${i + 1}. ${f}\n`);
  for (const f of report.footnotes) process.stdout.write(`  * report: ${f}\n`);
  const anomalies = await api.request("GET", "/v1/anomalies?asOf=2024-06-30&unverifiedAfterDays=365", auditor);
  if (anomalies.status === 200) process.stdout.write(`\nanomalies as of 2024-06-30: ${anomalies.json<{ anomalies: unknown[] }>().anomalies.length}\n`);
  process.stdout.write(`${comparison.lines.filter((l) => l.verdict === "match").length} of ${comparison.lines.length} figures equal; ${comparison.mismatches.length} unexplained differences\n`);
  if (comparison.mismatches.length > 0 || failures.length > 0) process.exitCode = 1;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function runPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
