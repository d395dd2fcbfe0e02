import { startProjector } from "@aidtrail/projector";
import { allProjections } from "@aidtrail/projections";
import type pino from "pino";
import type { RuntimeConfig } from "./runtime-config.js";
import type { System } from "./system.js";

/** The projector of every read model, as `start` runs it inline and `projector` runs it alone. */
export function startReadModelProjector(system: System, config: RuntimeConfig, log: pino.Logger) {
  return startProjector({
    db: system.db,
    url: system.url,
    store: system.eventStore,
    projections: allProjections,
    batchSize: config.AIDTRAIL_PROJECTOR_BATCH_SIZE,
    log,
    onFailed: (name, position, error) => log.error({ projection: name, position: position.toString(), error }, "projection stopped"),
  });
}
