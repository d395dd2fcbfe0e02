import { type AuthKeys, buildApp, loadOrCreateJwtKey } from "@aidtrail/api";
import { startAuditSealer } from "@aidtrail/audit/server";
import { allProjections } from "@aidtrail/projections";
import closeWithGrace from "close-with-grace";
import { createLogger } from "../logger.js";
import { startReadModelProjector } from "../read-model-projector.js";
import { type RuntimeConfig, readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";

/** Production keys come from configuration; otherwise the development key in the data folder (`aidtrail token` signs with it). */
async function authKeys(config: RuntimeConfig): Promise<AuthKeys> {
  if (config.AIDTRAIL_JWT_PUBLIC_KEY) return { publicKey: config.AIDTRAIL_JWT_PUBLIC_KEY };
  return { secret: config.AIDTRAIL_JWT_SECRET ?? (await loadOrCreateJwtKey(config.AIDTRAIL_DATA_DIR)) };
}

/**
 * `aidtrail start`: database (embedded unless DATABASE_URL), migrations, the projector (inline
 * unless AIDTRAIL_INLINE_PROJECTOR=false), the audit sealer and the HTTP API in one process.
 */
export async function start(): Promise<void> {
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL);
  const system = await openSystem(config, log);
  log.info({ database: system.kind === "embedded" ? `embedded in ${config.AIDTRAIL_DATA_DIR}/pg` : "DATABASE_URL" }, "database ready");

  // Without the inline projector an `aidtrail projector` process applies the log, and writes answer
  // without waiting for the read models (no read-your-writes in this process).
  const projector = config.AIDTRAIL_INLINE_PROJECTOR ? await startReadModelProjector(system, config, log) : undefined;
  if (!projector) log.info("inline projector off (AIDTRAIL_INLINE_PROJECTOR=false): run `aidtrail projector` beside this process");
  const auditSealer = await startAuditSealer({ db: system.db, store: system.eventStore, log });
  const app = await buildApp(
    {
      db: system.db,
      eventStore: system.eventStore,
      vault: system.vault,
      auth: await authKeys(config),
      ...(projector ? { projector } : {}),
      projections: allProjections,
      audit: { verifierKeys: auditSealer.keys.verifierKeys, origin: auditSealer.origin },
    },
    {
      logger: log,
      bodyLimitBytes: config.AIDTRAIL_BODY_LIMIT_BYTES,
      requestTimeoutMs: config.AIDTRAIL_REQUEST_TIMEOUT_MS,
      rateLimit: { max: config.AIDTRAIL_RATE_LIMIT_PER_MINUTE, timeWindowMs: 60_000 },
      waitForProjectionMs: config.AIDTRAIL_WAIT_FOR_PROJECTION_MS,
    },
  );
  closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, "shutting down after an error");
    else log.info({ signal }, "shutting down");
    // In reverse order of opening: stop taking requests, finish projecting, then the database.
    await app.close();
    await projector?.stop();
    await auditSealer.stop();
    await system.close();
  });
  const address = await app.listen({ host: config.AIDTRAIL_HOST, port: config.AIDTRAIL_PORT });
  log.info(
    { url: address, docs: `${address}/docs` },
    `aidtrail is listening on ${address} — API docs at ${address}/docs — mint a token with: ` +
      `aidtrail token --role officer --sub officer-01 --scope township (or pnpm aidtrail token …)`,
  );
}
