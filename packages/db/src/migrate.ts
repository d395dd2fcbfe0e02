import type { Kysely } from "kysely";
import { type Migration, type MigrationResult, Migrator } from "kysely/migration";
import { migrations } from "./migrations/index.js";

export class MigrationFailed extends Error {
  override readonly name = "MigrationFailed";
}

/** Brings the schema up to date; safe to run concurrently from several processes. */
export async function migrateToLatest(
  db: Kysely<any>,
  extra: Record<string, Migration> = {},
): Promise<MigrationResult[]> {
  const all = { ...migrations, ...extra };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new MigrationFailed(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
  return results ?? [];
}
