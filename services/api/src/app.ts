import type { Database } from "@aidtrail/db";
import type { EventStore } from "@aidtrail/event-store";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { healthRoutes } from "./routes/health/health-routes.js";

export interface AppDependencies {
  db: Kysely<Database>;
  eventStore: EventStore;
}

export interface AppOptions {
  /** A pino logger owned by the caller; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
}

/** Builds the HTTP app without listening; server.ts and tests decide what to do with it. */
export async function buildApp(deps: AppDependencies, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 256 * 1024,
    requestTimeout: 30_000,
    genReqId: () => crypto.randomUUID(),
  });
  await app.register(healthRoutes, { db: deps.db });
  return app;
}
