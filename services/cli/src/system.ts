import { canonicalize } from "@aidtrail/audit";
import { type PiiKeys, type PiiVault, assertPiiKeys, createPostgresPiiVault, loadOrCreateDevKeys } from "@aidtrail/commands";
import { type Database, createDb, createPool, migrateToLatest, openDatabaseTarget } from "@aidtrail/db";
import { domainEventSchemas } from "@aidtrail/domain";
import { type EventStore, createEventStoreFromEnv } from "@aidtrail/event-store";
import type { Kysely } from "kysely";
import type pino from "pino";
import type { RuntimeConfig } from "./runtime-config.js";

/** The database, its migrations and the event store, opened in order and closed in reverse. */
export interface System {
  url: string;
  kind: "external" | "embedded";
  db: Kysely<Database>;
  /** PostgreSQL unless EVENT_STORE=eventstoredb; read models and checkpoints stay in PostgreSQL. */
  eventStore: EventStore;
  /** Seals national ids and bank accounts; keys from configuration, else `<AIDTRAIL_DATA_DIR>/pii-keys.json` (development). */
  vault: PiiVault;
  close(): Promise<void>;
}

/** Production keys come from configuration; a laptop gets development keys in its data folder. */
async function piiKeys(config: RuntimeConfig): Promise<PiiKeys> {
  if (config.AIDTRAIL_PII_MASTER_KEY && config.AIDTRAIL_PII_INDEX_KEY) {
    return assertPiiKeys({
      masterKey: Buffer.from(config.AIDTRAIL_PII_MASTER_KEY, "base64"),
      indexKey: Buffer.from(config.AIDTRAIL_PII_INDEX_KEY, "base64"),
    });
  }
  return loadOrCreateDevKeys(config.AIDTRAIL_DATA_DIR);
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
  // With the verifier's canonicalisation, appends store each event's audit leaf (the sealer then only integrates it).
  const eventStore = createEventStoreFromEnv({ db, databaseUrl: target.url, registry: domainEventSchemas, canonicalJson: canonicalize });
  const vault = createPostgresPiiVault(db, await piiKeys(config));
  return {
    url: target.url,
    kind: target.kind,
    db,
    eventStore,
    vault,
    async close() {
      await eventStore.close();
      await db.destroy();
      await target.stop();
    },
  };
}
