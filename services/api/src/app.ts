import type { PiiVault } from "@aidtrail/commands";
import type { Database } from "@aidtrail/db";
import type { EventStore } from "@aidtrail/event-store";
import type { Projection } from "@aidtrail/projections";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { type ZodTypeProvider, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { type AuthKeys, authentication } from "./plugins/authentication.js";
import { authorization } from "./plugins/authorization.js";
import { type ProjectionWaiter, commandHandlers } from "./plugins/command-handlers.js";
import { metrics } from "./plugins/metrics.js";
import { openApi } from "./plugins/openapi.js";
import { frameworkErrors, problemDetails } from "./plugins/problem-details.js";
import { inputGuards } from "./plugins/input-guards.js";
import { jsonBody } from "./plugins/json-body.js";
import { lazyRequestLogger } from "./plugins/lazy-request-logger.js";
import { rateLimit } from "./plugins/rate-limit.js";
import { auditRoutes, verifyPageRoutes } from "./routes/audit/index.js";
import { healthRoutes } from "./routes/health/health-routes.js";
import { v1Routes } from "./routes/v1-routes.js";

export interface AppDependencies {
  db: Kysely<Database>;
  eventStore: EventStore;
  vault: PiiVault;
  auth: AuthKeys;
  /** The projector of this process (inline mode): writes wait for it so reads see them. */
  projector?: ProjectionWaiter;
  /** The projections whose lag /metrics reports. */
  projections?: readonly Projection[];
  /** Keys and origin the /verify page trusts by default. */
  audit?: { verifierKeys: readonly string[]; origin: string };
}

export interface AppOptions {
  /** A pino logger owned by the caller; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
  bodyLimitBytes?: number;
  requestTimeoutMs?: number;
  rateLimit?: { max: number; timeWindowMs: number };
  /** How long a write waits for its events to be projected; 0 answers at once. */
  waitForProjectionMs?: number;
}

export const DEFAULT_APP_OPTIONS = {
  bodyLimitBytes: 256 * 1024,
  requestTimeoutMs: 30_000,
  rateLimit: { max: 6_000, timeWindowMs: 60_000 },
  waitForProjectionMs: 2_000,
} as const;

/** Builds the HTTP app without listening; the `aidtrail start` script and tests decide what to do with it. */
export async function buildApp(deps: AppDependencies, options: AppOptions = {}): Promise<FastifyInstance> {
  const settings = { ...DEFAULT_APP_OPTIONS, ...options };
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger, childLoggerFactory: lazyRequestLogger } : { logger: false }),
    bodyLimit: settings.bodyLimitBytes,
    requestTimeout: settings.requestTimeoutMs,
    genReqId: () => crypto.randomUUID(),
    // Objects built from JSON never get a prototype through "__proto__" or "constructor" keys.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(problemDetails);
  await app.register(jsonBody);
  await app.register(openApi);
  await app.register(metrics, { db: deps.db, projections: deps.projections ?? [] });
  await app.register(authentication, { keys: deps.auth });
  await app.register(authorization, { store: deps.eventStore });
  await app.register(rateLimit, settings.rateLimit);
  await app.register(inputGuards);
  await app.register(commandHandlers, {
    store: deps.eventStore,
    vault: deps.vault,
    waitForProjectionMs: settings.waitForProjectionMs,
    ...(deps.projector ? { projector: deps.projector } : {}),
  });
  await app.register(healthRoutes, { db: deps.db });
  await app.register(v1Routes, { store: deps.eventStore, db: deps.db });
  await app.register(auditRoutes, { db: deps.db, store: deps.eventStore });
  await app.register(verifyPageRoutes, deps.audit ? { verifierKeys: deps.audit.verifierKeys, origin: deps.audit.origin } : {});
  return app;
}
