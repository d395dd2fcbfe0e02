import { ConfigError, type Database, configProblems } from "@aidtrail/db";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { CanonicalJson } from "./append-event-texts.js";
import type { EventStore } from "./event-store.js";
import type { ValidationOptions } from "./event-validation.js";
import { EventStoreDbEventStore } from "./eventstoredb/index.js";
import { PostgresEventStore } from "./postgres-event-store.js";

export * from "./eventstoredb/index.js";

/** Which event store to use, from the environment; validated at start like every other setting. */
export const eventStoreConfigSchema = z
  .object({
    EVENT_STORE: z.enum(["postgres", "eventstoredb"]).default("postgres"),
    EVENTSTORE_URL: z
      .string()
      .regex(/^esdb(\+discover)?:\/\//, "must be an esdb:// or esdb+discover:// connection string")
      .optional(),
  })
  .refine((c) => c.EVENT_STORE !== "eventstoredb" || c.EVENTSTORE_URL !== undefined, {
    message: "is required when EVENT_STORE=eventstoredb",
    path: ["EVENTSTORE_URL"],
  });

export type EventStoreConfig = z.infer<typeof eventStoreConfigSchema>;

/** Parses EVENT_STORE and EVENTSTORE_URL; every bad variable is named in one ConfigError. */
export function readEventStoreConfig(env: NodeJS.ProcessEnv = process.env): EventStoreConfig {
  const parsed = eventStoreConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = configProblems(parsed.error.issues);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export interface EventStoreDependencies extends ValidationOptions {
  /** The PostgreSQL database: events live here with EVENT_STORE=postgres; read models always do. */
  db: Kysely<Database>;
  /** Its URL, for the LISTEN connection of the PostgreSQL store. */
  databaseUrl: string;
  /** The audit verifier's canonicalisation: the PostgreSQL store then stores each event's leaf as it appends. */
  canonicalJson?: CanonicalJson | undefined;
}

/**
 * The event store the environment asks for: PostgreSQL by default, KurrentDB/EventStoreDB
 * with EVENT_STORE=eventstoredb and EVENTSTORE_URL. Checkpoints stay in PostgreSQL either way.
 */
export function createEventStoreFromEnv(deps: EventStoreDependencies, env: NodeJS.ProcessEnv = process.env): EventStore {
  const config = readEventStoreConfig(env);
  const validation: ValidationOptions = { registry: deps.registry };
  if (deps.maxEventBytes !== undefined) validation.maxEventBytes = deps.maxEventBytes;
  switch (config.EVENT_STORE) {
    case "postgres":
      return new PostgresEventStore({ ...validation, db: deps.db, url: deps.databaseUrl, canonicalJson: deps.canonicalJson });
    case "eventstoredb":
      // The refinement above guarantees the URL; the check keeps the type honest.
      if (!config.EVENTSTORE_URL) throw new ConfigError("invalid configuration:\n  EVENTSTORE_URL: is required");
      return new EventStoreDbEventStore({ ...validation, connection: config.EVENTSTORE_URL });
    default: {
      const _exhaustive: never = config.EVENT_STORE;
      throw new ConfigError(`unknown EVENT_STORE ${String(_exhaustive)}`);
    }
  }
}
