import { expect, inject } from "vitest";
import { type ApiHarness, createApiHarness } from "./api-harness.js";
import { fixtures } from "./fixtures.js";

/** What a bad-input sweep sends and gets back: just enough to judge the answer. */
export interface SweepAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Ids of the data `seedSweepData` writes; hostile requests aim at them so a slip could do harm. */
export const SWEEP = { village: "三铺村", otherVillage: "塔桥村", household: "h-1", program: "prog", disbursement: "d-1", loan: "loan-1" } as const;

/**
 * Why an answer to a bad request is wrong, or [] when it is right: a 4xx `application/problem+json`
 * whose body carries `type`, `title` and the same `status`, and no stack trace.
 */
export function problemFailures(label: string, res: SweepAnswer, allowed: (status: number) => boolean = (s) => s >= 400 && s < 500): string[] {
  const failures: string[] = [];
  const at = `${res.statusCode} ${label}`;
  if (!allowed(res.statusCode)) failures.push(`unexpected status: ${at} → ${res.body.slice(0, 300)}`);
  if (/\bat .*\.(ts|js):\d+/.test(res.body)) failures.push(`stack trace leaked: ${at} → ${res.body.slice(0, 300)}`);
  if (res.statusCode < 400) return failures;
  if (!String(res.headers["content-type"]).startsWith("application/problem+json")) failures.push(`not problem+json: ${at} (${String(res.headers["content-type"])})`);
  let body: { type?: unknown; title?: unknown; status?: unknown } = {};
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    failures.push(`body is not JSON: ${at} → ${res.body.slice(0, 200)}`);
  }
  if (typeof body.type !== "string" || typeof body.title !== "string" || body.status !== res.statusCode) {
    failures.push(`problem lacks type, title or status: ${at} → ${res.body.slice(0, 200)}`);
  }
  return failures;
}

/** Counts answers per status, for the line a sweep prints. */
export class StatusTally {
  private readonly counts = new Map<number, number>();
  total = 0;

  add(status: number): void {
    this.total++;
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  toString(): string {
    return JSON.stringify(Object.fromEntries([...this.counts].sort((a, b) => a[0] - b[0])));
  }
}

/** A household in SWEEP.village with a payment, a program with budget, a loan and a stake. */
export async function seedSweepData(h: ApiHarness): Promise<void> {
  const officer = h.auth("officer", "township", "sweep-setup");
  const admin = h.auth("admin");
  for (const [url, payload, headers] of [
    ["/v1/households", fixtures.household(SWEEP.household, SWEEP.village), officer],
    ["/v1/programs", fixtures.program(SWEEP.program, 100), admin],
    [`/v1/programs/${SWEEP.program}/allocations`, fixtures.allocation(), admin],
    ["/v1/loans", fixtures.loan(SWEEP.loan, SWEEP.household), officer],
    ["/v1/stakes", fixtures.stake("stake-1", SWEEP.household), officer],
    ["/v1/disbursements", fixtures.disbursement(SWEEP.disbursement, SWEEP.household, SWEEP.program, 1_000), officer],
  ] as const) {
    const res = await h.app.inject({ method: "POST", url, payload, headers });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
}

/** The app for a sweep on a database of its own: no rate limit (thousands of requests from one token), the sweep data written. */
export async function createSweepHarness(options: { withProjector: boolean }): Promise<ApiHarness> {
  const h = await createApiHarness(inject("pgAdminUrl"), { ...options, rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  await seedSweepData(h);
  return h;
}
