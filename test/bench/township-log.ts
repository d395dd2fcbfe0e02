/**
 * A large, realistic event log for benches: the cc township recorded once through the
 * command handlers (realistic events, zero refusals), then copied in SQL (or appended, see
 * openTownshipLog) with every `cc-` id renamed per copy (villages kept), so copies are
 * independent households, programs and payments. (The approach of replay.bench.ts, shared here.)
 */
import { createCommandHandlers, createInMemoryPiiVault } from "@aidtrail/commands";
import { domainEventSchemas } from "@aidtrail/domain";
import { performance } from "node:perf_hooks";
import { canonicalize } from "@aidtrail/audit";
import { type NewEvent, PostgresEventStore, type RecordedEvent, START, type StreamAppend } from "@aidtrail/event-store";
import { type TestDatabase, recordTownship } from "@aidtrail/testing";
import { type Kysely, sql } from "kysely";
import type { BenchContext } from "./lib.js";

export const TOWNSHIP_SEED = 20240630;

/** A database holding the township and a way to grow it by whole copies. */
export interface TownshipLog {
  readonly database: TestDatabase;
  readonly store: PostgresEventStore;
  /** Events of one township copy. */
  readonly townshipEvents: number;
  /** Copies the township until the log holds at least `size` events; returns the count. */
  growTo(size: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Records the township into a fresh database (`growTo` makes it large). With `appended`, the
 * store stores each event's audit leaf and the copies go in through its ordinary append
 * (appendMany), as the product writes them; otherwise they are copied in SQL (no leaves).
 */
export async function openTownshipLog(ctx: BenchContext, options: { appended?: boolean } = {}): Promise<TownshipLog> {
  const database = await ctx.createDatabase();
  const store = new PostgresEventStore({
    db: database.db,
    url: database.url,
    registry: domainEventSchemas,
    ...(options.appended ? { canonicalJson: canonicalize } : {}),
  });
  ctx.log("recording the cc township through the command handlers");
  const handlers = createCommandHandlers({
    store,
    vault: createInMemoryPiiVault({ masterKey: Buffer.alloc(32, 1), indexKey: Buffer.alloc(32, 2) }),
  });
  const report = await recordTownship(handlers, TOWNSHIP_SEED);
  if (report.refused.length > 0) throw new Error(`township refused ${report.refused.length} commands`);
  const townshipEvents = await countEvents(database.db);
  const { rows } = await sql<{ p: string }>`select max(position) as p from events`.execute(database.db);
  const lastTownshipPosition = rows[0]!.p;
  let copies = 1;
  return {
    database,
    store,
    townshipEvents,
    async growTo(size) {
      let events = await countEvents(database.db);
      if (events < size) ctx.log(`township: ${townshipEvents} events; copying it to ${size.toLocaleString("en")} events${options.appended ? " by appendMany" : ""}`);
      if (options.appended) {
        const started = performance.now();
        const township = await readTownship(store, BigInt(lastTownshipPosition));
        const copiesNeeded = Math.ceil((size - events) / townshipEvents);
        // A few copies at a time (their streams differ but for the shared villages); each in order.
        await forEachConcurrently(copiesNeeded, APPENDING_COPIES, (i) => appendTownshipCopy(store, township, copies + i));
        copies += copiesNeeded;
        const appended = (await countEvents(database.db)) - events;
        const seconds = (performance.now() - started) / 1000;
        ctx.log(`appended ${appended.toLocaleString("en")} events in ${Math.round(seconds)} s (${Math.round(appended / seconds).toLocaleString("en")} events/s)`);
        return countEvents(database.db);
      }
      while (events < size) {
        await copyTownship(database.db, lastTownshipPosition, copies++);
        events += townshipEvents;
      }
      return countEvents(database.db);
    },
    async close() {
      await store.close();
    },
  };
}

export async function countEvents(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** One more copy of the township's events, in one transaction, ids renamed `cc-` → `c<k>-`. */
export async function copyTownship(db: Kysely<any>, lastTownshipPosition: string, k: number): Promise<void> {
  const prefix = `c${k}-`;
  await sql`
    insert into events (stream_id, revision, type, data, metadata)
    select regexp_replace(stream_id, 'cc-(?!v[0-9])', ${prefix}, 'g'), revision, type,
           regexp_replace(data::text, 'cc-(?!v[0-9])', ${prefix}, 'g')::jsonb, metadata
    from events where position <= ${lastTownshipPosition}::bigint
    order by transaction_id, position`.execute(db);
}


/** Copies appended at once; events per appendMany call. */
const APPENDING_COPIES = 2;
const EVENTS_PER_APPEND = 1000;

/** The township as recorded, in global order. */
async function readTownship(store: PostgresEventStore, lastPosition: bigint): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let after = START; ; ) {
    const page = (await store.readAll({ after, limit: 10_000 })).filter((e) => e.position <= lastPosition);
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1]!;
  }
}

/** Copy `k` of the township through appendMany, ids renamed as copyTownship renames them, in the log's order. */
async function appendTownshipCopy(store: PostgresEventStore, township: readonly RecordedEvent[], k: number): Promise<void> {
  const rename = (text: string) => text.replace(/cc-(?!v[0-9])/g, `c${k}-`);
  for (let from = 0; from < township.length; from += EVENTS_PER_APPEND) {
    const entries: StreamAppend[] = [];
    for (const event of township.slice(from, from + EVENTS_PER_APPEND)) {
      const streamId = rename(event.streamId);
      const copy = { type: event.type, data: JSON.parse(rename(JSON.stringify(event.data))), metadata: event.metadata };
      const last = entries[entries.length - 1];
      if (last?.streamId === streamId) (last.events as NewEvent[]).push(copy);
      else entries.push({ streamId, events: [copy], expectedRevision: "any" });
    }
    await store.appendMany(entries);
  }
}

async function forEachConcurrently(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
