import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Projection } from "./projection.js";

/**
 * A digest of every row of a projection's tables, independent of physical row order:
 * replaying the same log must give the same checksum.
 */
export async function projectionChecksum(db: Kysely<any>, schema: string, projection: Projection): Promise<string> {
  const hash = createHash("sha256");
  for (const table of projection.tables) {
    const { rows } = await sql<{ digest: string | null; count: string }>`
      select md5(string_agg(t::text, E'\n' order by t::text)) as digest, count(*) as count
      from ${sql.id(schema, table)} t`.execute(db);
    hash.update(`${table}:${rows[0]?.count ?? 0}:${rows[0]?.digest ?? "empty"}\n`);
  }
  return hash.digest("hex");
}
