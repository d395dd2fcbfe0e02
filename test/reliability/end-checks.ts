import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readSealedSize } from "@aidtrail/audit/server";
import type { Database } from "@aidtrail/db";
import { PostgresEventStore } from "@aidtrail/event-store";
import { domainEventSchemas } from "@aidtrail/domain";
import { allProjections, liveSchema, projectionChecksum, readCheckpoint, rebuildProjections, rebuildSchema } from "@aidtrail/projections";
import { type Kysely, sql } from "kysely";
import type { Journal } from "./journal.js";
import { CLI } from "./service-process.js";

const DISBURSEMENT_STREAM = "disbursement-";

/** What the database and the journal say together at the end of a run; every count but the first four must be 0. */
export interface EndCheckFigures {
  sent: number;
  acknowledged: number;
  refused: number;
  /** The client never got a definitive answer (it gave up retrying at the end of the drain). */
  unresolved: number;
  /** Acknowledged (2xx) but no DisbursementRecorded in the log. */
  lost: number;
  /** Disbursement ids with more than one DisbursementRecorded, or household-program-month slots paid twice. */
  duplicates: number;
  /** Acknowledged, but the answer's position is not that of the DisbursementRecorded event. */
  positionMismatches: number;
  /** Refused (4xx) by the service, yet recorded as a payment. */
  refusedButPaid: number;
  /** Events naming a disbursement id that no client ever sent. */
  eventsWithoutRequest: number;
  /** Initiated in the log but neither recorded nor refused, while the client holds an answer. */
  undecided: number;
  /** Payments written by an attempt whose answer was lost (no answer, 5xx): only a retry told the client. */
  responsesLost: number;
  /** Programs whose reserved total exceeded their allocations at some point of their stream. */
  budgetsNegative: number;
  /** Lowest remaining budget (fen) seen in any program's stream. */
  lowestRemainingFen: number;
  /** Projections whose live tables differ from a clean rebuild. */
  checksumMismatches: string[];
  /** The first line `aidtrail verify` printed. */
  verify: string;
  verifyOk: boolean;
}

interface StreamEvent {
  stream_id: string;
  revision: string;
  position: string;
  type: string;
  recorded_at: Date;
  data: { disbursementId?: string; householdId?: string; programId?: string; period?: string; amountFen: number };
}

/** Waits until every projection is running and has applied every event in the log. */
export async function waitForProjections(db: Kysely<Database>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(db);
    const total = BigInt(rows[0]!.n);
    const states = await Promise.all(allProjections.map((p) => readCheckpoint(db, liveSchema(p.name)).catch(() => undefined)));
    if (states.every((s) => s && s.status === "running" && s.applied === total)) return;
    if (Date.now() > deadline) {
      const where = states.map((s, i) => `${allProjections[i]!.name}: ${s ? `${s.status} ${s.applied}` : "none"}`).join(", ");
      throw new Error(`projections did not catch up with ${total} events in ${timeoutMs} ms (${where})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the audit sealer (in the API process) has a leaf for every event, so verify covers them all. */
async function waitForSealer(db: Kysely<Database>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(db);
    const sealed = await readSealedSize(db);
    if (sealed === Number(rows[0]!.n)) return;
    if (Date.now() > deadline) throw new Error(`the audit sealer has ${sealed} of ${rows[0]!.n} events after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The journal against the event log: lost, duplicated, unexplained and undecided payments. */
async function checkPayments(db: Kysely<Database>, journal: Journal) {
  const { rows } = await sql<StreamEvent>`
    select stream_id, revision::text, position::text, type, recorded_at, data from events
    where stream_id like ${`${DISBURSEMENT_STREAM}%`} or data ? 'disbursementId'
    order by position`.execute(db);
  const recorded = new Map<string, StreamEvent[]>();
  const decided = new Set<string>();
  const inLog = new Set<string>();
  /** When each payment's first event was written (the server's clock, the same machine as the client's). */
  const firstWrittenAt = new Map<string, number>();
  const slots = new Map<string, number>();
  let eventsWithoutRequest = 0;
  for (const e of rows) {
    const id = e.stream_id.startsWith(DISBURSEMENT_STREAM) ? e.stream_id.slice(DISBURSEMENT_STREAM.length) : String(e.data.disbursementId);
    inLog.add(id);
    if (!firstWrittenAt.has(id)) firstWrittenAt.set(id, e.recorded_at.getTime());
    if (!journal.entries.has(id)) eventsWithoutRequest++;
    if (e.type === "DisbursementRecorded") {
      recorded.set(id, [...(recorded.get(id) ?? []), e]);
      const slot = `${e.data.householdId}|${e.data.programId}|${e.data.period}`;
      slots.set(slot, (slots.get(slot) ?? 0) + 1);
    }
    if (e.type === "DisbursementRecorded" || e.type === "DisbursementRefused") decided.add(id);
  }
  let lost = 0;
  let positionMismatches = 0;
  let refusedButPaid = 0;
  let undecided = 0;
  let responsesLost = 0;
  for (const entry of journal.entries.values()) {
    const events = recorded.get(entry.disbursementId) ?? [];
    const last = entry.attempts.at(-1);
    if (entry.outcome === "acknowledged") {
      if (events.length === 0) lost++;
      const answer = last && last.status !== null ? (JSON.parse(last.body) as { position?: string }) : {};
      if (events.length === 1 && answer.position !== events[0]!.position) positionMismatches++;
    }
    if (entry.outcome === "refused" && events.length > 0) refusedButPaid++;
    if (entry.outcome !== "unresolved" && inLog.has(entry.disbursementId) && !decided.has(entry.disbursementId)) undecided++;
    // Written before the answered attempt even started: an earlier attempt wrote it and its answer was lost.
    const writtenAt = firstWrittenAt.get(entry.disbursementId);
    if (writtenAt !== undefined && last && last.status !== null && writtenAt < last.startedAt) responsesLost++;
  }
  const duplicates = [...recorded.values()].filter((e) => e.length > 1).length + [...slots.values()].filter((n) => n > 1).length;
  return { lost, duplicates, positionMismatches, refusedButPaid, eventsWithoutRequest, undecided, responsesLost };
}

/** Replays every program stream: allocations minus reservations (plus releases) never below 0. */
async function checkBudgets(db: Kysely<Database>) {
  const { rows } = await sql<StreamEvent>`
    select stream_id, revision::text, position::text, type, recorded_at, data from events
    where stream_id like 'program-%' order by stream_id, revision::bigint`.execute(db);
  const remaining = new Map<string, number>();
  // A release gives back what the same disbursement reserved in the same program.
  const reserved = new Map<string, number>();
  const negative = new Set<string>();
  let lowestRemainingFen = Number.POSITIVE_INFINITY;
  for (const e of rows) {
    const key = `${e.stream_id}|${e.data.disbursementId}`;
    let delta = 0;
    if (e.type === "AllocationAdded") delta = e.data.amountFen;
    else if (e.type === "FundsReserved") {
      delta = -e.data.amountFen;
      reserved.set(key, e.data.amountFen);
    } else if (e.type === "ReservationReleased") delta = reserved.get(key) ?? 0;
    const now = (remaining.get(e.stream_id) ?? 0) + delta;
    remaining.set(e.stream_id, now);
    if (now < 0) negative.add(e.stream_id);
    lowestRemainingFen = Math.min(lowestRemainingFen, now);
  }
  return { budgetsNegative: negative.size, lowestRemainingFen };
}

/** Rebuilds every projection into fresh tables and compares its checksum with the live one. */
async function checkReadModels(db: Kysely<Database>, url: string): Promise<string[]> {
  const store = new PostgresEventStore({ db, url, registry: domainEventSchemas });
  try {
    await rebuildProjections({ db, store, projections: allProjections, swap: false });
    const mismatches: string[] = [];
    for (const p of allProjections) {
      const live = await projectionChecksum(db, liveSchema(p.name), p);
      const clean = await projectionChecksum(db, rebuildSchema(p.name), p);
      if (live !== clean) mismatches.push(p.name);
    }
    return mismatches;
  } finally {
    await store.close();
  }
}

/** `aidtrail verify` as an auditor runs it: every leaf, tile, root and signed checkpoint. */
async function runVerify(env: NodeJS.ProcessEnv): Promise<{ verify: string; verifyOk: boolean }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, "verify"], { env, maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.trim().split("\n")[0] ?? "";
    // Signatures unchecked would make "OK" weaker than it reads.
    return { verify: line, verifyOk: line.startsWith("OK:") && !stderr.includes("NOT checked") };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { verify: `exit ${e.code}: ${(e.stdout ?? "").trim()} ${(e.stderr ?? "").trim().slice(0, 500)}`, verifyOk: false };
  }
}

/**
 * Every check of issue #9 at the end of a run, from the database and the client's journal:
 * the service's own answers are only compared, never trusted. The service must be idle.
 */
export async function runEndChecks(db: Kysely<Database>, url: string, journal: Journal, env: NodeJS.ProcessEnv): Promise<EndCheckFigures> {
  await waitForProjections(db, 180_000);
  const payments = await checkPayments(db, journal);
  const budgets = await checkBudgets(db);
  const checksumMismatches = await checkReadModels(db, url);
  await waitForSealer(db, 120_000);
  return {
    sent: journal.entries.size,
    acknowledged: journal.count("acknowledged"),
    refused: journal.count("refused"),
    unresolved: journal.count("unresolved"),
    ...payments,
    ...budgets,
    checksumMismatches,
    ...(await runVerify(env)),
  };
}

/** The failures among the figures, as sentences; empty when every check holds. */
export function endCheckFailures(f: EndCheckFigures): string[] {
  const failures: string[] = [];
  const zero: (keyof EndCheckFigures)[] = ["lost", "duplicates", "positionMismatches", "refusedButPaid", "eventsWithoutRequest", "undecided", "budgetsNegative"];
  for (const key of zero) if (f[key] !== 0) failures.push(`${key}: ${f[key]} (must be 0)`);
  if (f.checksumMismatches.length > 0) failures.push(`read models differ from a clean rebuild: ${f.checksumMismatches.join(", ")}`);
  if (!f.verifyOk) failures.push(`aidtrail verify failed: ${f.verify}`);
  if (f.acknowledged === 0) failures.push("no payment was acknowledged: the run proves nothing");
  return failures;
}
