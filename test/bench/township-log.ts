/**
 * A large, realistic event log for benches: the cc township recorded once through the
 * command handlers (realistic events, zero refusals), then copied in SQL with every `cc-`
 * id renamed per copy (villages kept), so copies are independent households, programs
 * and payments. (The approach of replay.bench.ts, shared here.)
 */
import { createCommandHandlers, createInMemoryPiiVault } from "@aidtrail/commands";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
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

/** Records the township into a fresh database (`growTo` makes it large). */
export async function openTownshipLog(ctx: BenchContext): Promise<TownshipLog> {
  const database = await ctx.createDatabase();
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
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
      if (events < size) ctx.log(`township: ${townshipEvents} events; copying it to ${size.toLocaleString("en")} events`);
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

