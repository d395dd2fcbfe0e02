import { type Database, createDb, createPool, migrateToLatest, openDatabaseTarget } from "@aidtrail/db";
import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import type { Kysely } from "kysely";
import type pino from "pino";
import type { RuntimeConfig } from "./runtime-config.js";

/** The database, its migrations and the event store, opened in order and closed in reverse. */
export interface System {
  url: string;
  kind: "external" | "embedded";
  db: Kysely<Database>;
  eventStore: PostgresEventStore;
  close(): Promise<void>;
}

export async function openSystem(config: RuntimeConfig, log: pino.Logger): Promise<System> {
  const target = await openDatabaseTarget(config, (line) => log.debug({ postgres: line }));
  const pool = createPool(target.url, { max: 20 });
  const db = createDb(pool);
  try {
    const applied = await migrateToLatest(db);
    for (const m of applied) log.info({ migration: m.migrationName, status: m.status }, "migration");
  } catch (error) {
    await db.destroy();
    await target.stop();
    throw error;
  }
  const eventStore = new PostgresEventStore({ db, url: target.url, registry: domainEventSchemas });
  return {
    url: target.url,
    kind: target.kind,
    db,
    eventStore,
    async close() {
      await eventStore.close();
      await db.destroy();
      await target.stop();
    },
  };
}
