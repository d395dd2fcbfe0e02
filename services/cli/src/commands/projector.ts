import { allProjections } from "@aidtrail/projections";
import closeWithGrace from "close-with-grace";
import { createLogger } from "../logger.js";
import { startReadModelProjector } from "../read-model-projector.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";

/** `aidtrail projector`: applies the log to the read models until stopped; one lease holder at a time. */
export async function projector(): Promise<void> {
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL);
  const system = await openSystem(config, log);
  const running = await startReadModelProjector(system, config, log);
  log.info({ projections: allProjections.map((p) => p.name) }, "projector running");
  closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, "projector shutting down after an error");
    else log.info({ signal }, "projector shutting down");
    await running.stop();
    await system.close();
  });
}
