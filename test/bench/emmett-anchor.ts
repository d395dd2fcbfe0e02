/**
 * The Emmett anchor shared by the benches (`append`, `http`): @event-driven-io/emmett-postgresql
 * in a fresh database of its own on the bench's PostgreSQL server, and the append workload —
 * `writers` concurrent writers, one ~330-byte DisbursementRecorded event per append, each writer
 * on streams of its own with the exact expected version.
 */
import { performance } from "node:perf_hooks";
import { NO_CONCURRENCY_CHECK, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import { type PostgresEventStore as EmmettStore, getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql";
import type { NewEvent } from "@aidtrail/event-store";
import type { TestDatabase } from "@aidtrail/testing";
import { type BenchContext, concurrently, percentile } from "./lib.js";

/** Events per stream before a writer moves on to a new one (a disbursement's life is short). */
export const EVENTS_PER_STREAM = 8;

/** A realistic DisbursementRecorded: ids, amount in fen, rule inputs, who did it (~300 bytes as JSON). */
export function disbursementEvent(writer: number, n: number): NewEvent {
  return {
    type: "DisbursementRecorded",
    data: {
      disbursementId: `dsb_${writer.toString(36)}${n.toString(36).padStart(8, "0")}`,
      programId: "prg_heating_2026",
      householdId: `hh_${(writer * 7919 + n).toString(36).padStart(8, "0")}`,
      memberId: null,
      period: "2026-12",
      status: "recorded",
      amountFen: 120000 + (n % 500) * 100,
      ruleVersion: 3,
      inputs: { size: 1 + (n % 6) },
      slotKey: null,
    },
    metadata: { actor: `officer-${writer}`, requestId: "7f1c8a52-5a3e-4c1b-9d0e-2b6f4e8a9c13" },
  };
}

/** JSON size of one event as our store writes it ({t, d, m}). */
export function eventBytes(): number {
  const e = disbursementEvent(3, 12345);
  return Buffer.byteLength(JSON.stringify({ t: e.type, d: e.data, m: e.metadata }), "utf8");
}

/** Appends one event to a stream the writer owns, given the writer's state; returns the new state. */
export interface Writer {
  append(stream: string, streamLength: number, event: NewEvent): Promise<void>;
  appendMany(stream: string, events: NewEvent[]): Promise<void>;
}

export function emmettWriter(store: EmmettStore): Writer {
  return {
    async append(stream, streamLength, event) {
      // Emmett's stream version counts events (1-based): after n events it is n.
      await store.appendToStream(stream, [{ type: event.type, data: event.data as Record<string, unknown>, metadata: event.metadata ?? {} }], {
        expectedStreamVersion: streamLength === 0 ? STREAM_DOES_NOT_EXIST : BigInt(streamLength),
      });
    },
    async appendMany(stream, events) {
      await store.appendToStream(
        stream,
        events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata ?? {} })),
        { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
      );
    },
  };
}

export interface AppendRun {
  eventsPerSec: number;
  events: number;
  p50Ms: number;
  p99Ms: number;
}

/** `writers` writers append one event at a time for `seconds`, each to streams of its own. */
export async function appendRun(writer: Writer, tag: string, writers: number, seconds: number): Promise<AppendRun> {
  const latencies: number[][] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const counts = await concurrently(writers, async (w) => {
    const mine: number[] = [];
    latencies.push(mine);
    let n = 0;
    while (performance.now() < deadline) {
      const stream = `disbursement-${tag}-w${w}-${Math.floor(n / EVENTS_PER_STREAM)}`;
      const t0 = performance.now();
      await writer.append(stream, n % EVENTS_PER_STREAM, disbursementEvent(w, n));
      mine.push(performance.now() - t0);
      n++;
    }
    return n;
  });
  const elapsed = (performance.now() - started) / 1000;
  const events = counts.reduce((a, b) => a + b, 0);
  const all = latencies.flat();
  return { eventsPerSec: events / elapsed, events, p50Ms: percentile(all, 50), p99Ms: percentile(all, 99) };
}

export interface EmmettAnchor {
  db: TestDatabase;
  store: EmmettStore;
  writer: Writer;
  close(): Promise<void>;
}

/**
 * Emmett in a database of its own without our schema, on the pool createTestDatabase made (20
 * connections, the size of ours); its schema and a first stream exist before anything is timed.
 * Note: Emmett's driver (dumbo) replaces pg's *global* parsers for int8/json/jsonb on its first pool.
 */
export async function openEmmett(ctx: BenchContext): Promise<EmmettAnchor> {
  const db = await ctx.createDatabase({ migrate: false });
  const store = getPostgreSQLEventStore(db.url, { connectionOptions: { pool: db.pool } });
  await store.schema.migrate();
  await store.appendToStream("schema-check", [{ type: "Warmup", data: {} }], { expectedStreamVersion: NO_CONCURRENCY_CHECK });
  return { db, store, writer: emmettWriter(store), close: () => store.close() };
}
