import { buildApp } from "@aidtrail/api";
import closeWithGrace from "close-with-grace";
import { createLogger } from "../logger.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";

/** `aidtrail start`: database (embedded unless DATABASE_URL), migrations and the HTTP service in one process. */
export async function start(): Promise<void> {
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL);
  const system = await openSystem(config, log);
  log.info({ database: system.kind === "embedded" ? `embedded in ${config.AIDTRAIL_DATA_DIR}/pg` : "DATABASE_URL" }, "database ready");

  const app = await buildApp({ db: system.db, eventStore: system.eventStore }, { logger: log });
  closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, "shutting down after an error");
    else log.info({ signal }, "shutting down");
    await app.close();
    await system.close();
  });
  const address = await app.listen({ host: config.AIDTRAIL_HOST, port: config.AIDTRAIL_PORT });
  log.info(`aidtrail is listening on ${address} (health: ${address}/healthz)`);
}
