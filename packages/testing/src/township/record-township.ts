import { buildTownship } from "./build-township.js";
import type { TownshipCommand, TownshipHandlers, TownshipPlan } from "./township-types.js";

export interface TownshipRefusal {
  kind: TownshipCommand["kind"];
  id: string;
  code: string;
  message: string;
}

export interface TownshipReport {
  seed: number;
  commands: number;
  refused: TownshipRefusal[];
  pendingApproval: number;
  phases: Array<{ name: string; commands: number; ms: number }>;
  ms: number;
  plan: TownshipPlan;
}

/**
 * Sends every command of the township through the handlers, phase by phase (concurrently within
 * a phase), and counts refusals: a thrown error or a refused payment. A correct system refuses none.
 */
export async function recordTownship(handlers: TownshipHandlers, seed: number, options: { concurrency?: number; log?: (line: string) => void } = {}): Promise<TownshipReport> {
  const plan = buildTownship(seed);
  const refused: TownshipRefusal[] = [];
  const phases: TownshipReport["phases"] = [];
  let pendingApproval = 0;
  const started = performance.now();
  for (const phase of plan.phases) {
    const t0 = performance.now();
    await runPool(phase.commands, options.concurrency ?? 32, async (command) => {
      try {
        const answer = await send(handlers, command);
        if (answer && typeof answer === "object" && "outcome" in answer) {
          const a = answer as { outcome: string; status?: string; code?: string; message?: string };
          if (a.outcome === "refused") refused.push({ kind: command.kind, id: idOf(command), code: a.code ?? "?", message: a.message ?? "" });
          if (a.status === "pending_approval") pendingApproval++;
        }
      } catch (error) {
        const e = error as { code?: string; message?: string };
        refused.push({ kind: command.kind, id: idOf(command), code: e.code ?? "error", message: e.message ?? String(error) });
      }
    });
    const ms = performance.now() - t0;
    phases.push({ name: phase.name, commands: phase.commands.length, ms });
    options.log?.(`${phase.name}: ${phase.commands.length} commands in ${ms.toFixed(0)} ms`);
  }
  return { seed, commands: phases.reduce((s, p) => s + p.commands, 0), refused, pendingApproval, phases, ms: performance.now() - started, plan };
}

function send(h: TownshipHandlers, c: TownshipCommand): Promise<unknown> {
  switch (c.kind) {
    case "defineProgram":
      return h.defineProgram(c.data, c.ctx);
    case "addAllocation":
      return h.addAllocation(c.data, c.ctx);
    case "registerHousehold":
      return h.registerHousehold(c.data, c.ctx);
    case "changeHouseholdStatus":
      return h.changeHouseholdStatus(c.data, c.ctx);
    case "recordStake":
      return h.recordStake(c.data, c.ctx);
    case "recordLoan":
      return h.recordLoan(c.data, c.ctx);
    case "recordDisbursement":
      return h.recordDisbursement(c.data, c.ctx);
    case "approveDisbursement":
      return h.approveDisbursement(c.data, c.ctx);
    default: {
      const _exhaustive: never = c;
      throw new Error(`unknown township command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function idOf(c: TownshipCommand): string {
  const d = c.data as unknown as Record<string, unknown>;
  return String(d.disbursementId ?? d.householdId ?? d.programId ?? d.stakeId ?? d.loanId ?? "?");
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function runPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
