import type { TestDatabase } from "@aidtrail/testing";

/** What run.ts hands every bench. */
export interface BenchContext {
  /** Maintenance URL of the PostgreSQL server the bench runs on. */
  adminUrl: string;
  /** Where that server came from: "DATABASE_URL" or "embedded". */
  source: string;
  /** `server_version` of that server, e.g. "15.20". */
  serverVersion: string;
  /** A fresh, migrated aidtrail database on that server (dropped when the run ends). */
  createDatabase(options?: { migrate?: boolean }): Promise<TestDatabase>;
  /** One progress line (not the RESULT line). */
  log(line: string): void;
  /** Arguments after the bench name, e.g. `--quick`. */
  args: readonly string[];
}

/** Figures a bench reports; run.ts adds `bench` and `peakRssMb` and prints it as the RESULT line. */
export type BenchResult = { unit: string; ours: number; runs: number } & Record<string, unknown>;

export interface Bench {
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** Middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile, p in [0, 100]; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Runs `a` and `b` `runs` times each, alternating and swapping who goes first every
 * round (a b, b a, a b, …) so drift in the machine hits both alike.
 */
export async function alternate<A, B>(
  runs: number,
  a: (round: number) => Promise<A>,
  b: (round: number) => Promise<B>,
): Promise<{ a: A[]; b: B[] }> {
  const out = { a: [] as A[], b: [] as B[] };
  for (let round = 0; round < runs; round++) {
    if (round % 2 === 0) {
      out.a.push(await a(round));
      out.b.push(await b(round));
    } else {
      out.b.push(await b(round));
      out.a.push(await a(round));
    }
  }
  return out;
}

/** Samples this process's resident set size; `peakMb` also takes the kernel's own high-water mark. */
export class RssSampler {
  private peakBytes = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }

  get peakMb(): number {
    this.sample();
    // maxRSS is in kilobytes and covers moments between samples.
    const kernelPeak = process.resourceUsage().maxRSS * 1024;
    return round(Math.max(this.peakBytes, kernelPeak) / (1024 * 1024), 1);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs `worker(i)` for i in [0, n) at once and waits for all of them. */
export async function concurrently<T>(n: number, worker: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => worker(i)));
}

export function formatRate(eventsPerSec: number): string {
  return `${Math.round(eventsPerSec).toLocaleString("en-US")} events/s`;
}

/** The value after `flag` in a bench's arguments (`--runs 5` → "5"), if given. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** A positive number flag, or `fallback` when absent; anything else stops the bench with a clear message. */
export function positiveFlag(args: readonly string[], flag: string, fallback: number): number {
  const v = flagValue(args, flag);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${v}`);
  return n;
}
