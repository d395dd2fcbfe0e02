import { allProjections, liveSchema, projectionChecksum, rebuildProjections } from "@aidtrail/projections";
import { sql } from "kysely";
import { createLogger } from "../logger.js";
import { createProgress } from "../progress.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";
import { UsageError } from "../usage-error.js";

/** `aidtrail replay [projection…]`: rebuilds read models into fresh tables and swaps them in. */
export async function replay(args: string[]): Promise<void> {
  const known = new Map(allProjections.map((p) => [p.name, p]));
  const unknown = args.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown projection ${unknown.join(", ")}; known: ${[...known.keys()].join(", ")}`);
  }
  const chosen = args.length > 0 ? args.map((name) => known.get(name)!) : allProjections;
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const system = await openSystem(config, log);
  try {
    const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(system.db);
    const total = Number(rows[0]?.n ?? 0);
    const progress = createProgress(`replay ${chosen.length} projection(s)`, total);
    const result = await rebuildProjections({
      db: system.db,
      store: system.eventStore,
      projections: chosen,
      onProgress: (p) => progress.update(p.applied),
    });
    progress.finish(`${result.applied} events, ${Math.round(result.applied / Math.max(result.elapsedMs / 1000, 0.001))} events/s`);
    for (const p of chosen) {
      process.stdout.write(`${p.name.padEnd(28)} ${await projectionChecksum(system.db, liveSchema(p.name), p)}\n`);
    }
  } finally {
    await system.close();
  }
}
