import path from "node:path";
import type { DatabaseConfig } from "./config.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";

export interface DatabaseTarget {
  url: string;
  /** "external" when DATABASE_URL was given, else "embedded". */
  kind: "external" | "embedded";
  stop(): Promise<void>;
}

/** DATABASE_URL if set, else an embedded PostgreSQL in `<data dir>/pg`. */
export async function openDatabaseTarget(
  config: DatabaseConfig,
  onLog?: (line: string) => void,
): Promise<DatabaseTarget> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, kind: "external", stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(config.AIDTRAIL_DATA_DIR, "pg"),
    port: config.AIDTRAIL_PG_PORT,
    ...(onLog ? { onLog } : {}),
  });
  return { url: server.url, kind: "embedded", stop: () => server.stop() };
}
