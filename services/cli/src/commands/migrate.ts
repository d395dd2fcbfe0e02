import { createLogger } from "../logger.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";

/** `aidtrail migrate`: brings the schema up to date and exits. */
export async function migrate(): Promise<void> {
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL);
  const system = await openSystem(config, log);
  log.info("schema is up to date");
  await system.close();
}
