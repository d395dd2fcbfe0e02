/**
 * `pnpm test:reliability [--scenario faults|soak|all] [--minutes M] [--seconds S] [--rate R]
 * [--clients N] [--pg-down S] [--journal FILE]`: issue #9's fault scenario, then the soak
 * (10 minutes by default, or AIDTRAIL_SOAK_MINUTES). Each scenario ends with one
 * `RESULT {json}` line; the exit code is 1 if any check failed.
 */
import os from "node:os";
import { runFaultScenario } from "./fault-scenario.js";
import { runSoak } from "./soak-scenario.js";

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function positive(args: readonly string[], name: string, fallback: number): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`--${name} takes a positive number, got ${raw}`);
  return value;
}

const log = (line: string) => process.stdout.write(`[reliability] ${line}\n`);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const scenario = flag(args, "scenario") ?? "all";
  if (!["faults", "soak", "all"].includes(scenario)) throw new Error(`--scenario takes faults, soak or all, got ${scenario}`);
  const clients = positive(args, "clients", 6);
  const rate = positive(args, "rate", 20);
  log(`node ${process.version}; ${os.cpus().length} cpus; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  let failed = false;
  if (scenario !== "soak") {
    const journalFile = flag(args, "journal");
    const { figures, failures } = await runFaultScenario({
      seconds: positive(args, "seconds", 120),
      ratePerSecond: rate,
      clients,
      pgDownSeconds: positive(args, "pg-down", 10),
      log,
      ...(journalFile ? { journalFile } : {}),
    });
    for (const f of failures) log(`FAILED: ${f}`);
    failed ||= failures.length > 0;
    process.stdout.write(`RESULT ${JSON.stringify({ ...figures, ok: failures.length === 0 })}\n`);
  }
  if (scenario !== "faults") {
    const minutes = positive(args, "minutes", Number(process.env.AIDTRAIL_SOAK_MINUTES ?? 10));
    const { figures, failures } = await runSoak({ minutes, ratePerSecond: rate, clients, log });
    for (const f of failures) log(`FAILED: ${f}`);
    failed ||= failures.length > 0;
    process.stdout.write(`RESULT ${JSON.stringify({ ...figures, ok: failures.length === 0 })}\n`);
  }
  return failed ? 1 : 0;
}

// Ctrl-C or a CI timeout: exit through process.exit so the 'exit' hooks kill the API, the
// projector and PostgreSQL (a signal's default action would leave them running).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
