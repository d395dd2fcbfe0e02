import type { GlobalCheckpoint } from "@aidtrail/event-store";
import { type Projection, liveSchema } from "@aidtrail/projections";
import { type Kysely, sql } from "kysely";

/**
 * The lowest checkpoint of the running projections as stored, in one round trip: how a process
 * that does not hold the lease learns what the lease holder has projected. Undefined when none runs.
 */
export async function readStoredProgress(db: Kysely<any>, projections: readonly Projection[]): Promise<GlobalCheckpoint | undefined> {
  if (projections.length === 0) return undefined;
  const each = projections.map(
    (p) => sql`select transaction_id, position from ${sql.id(liveSchema(p.name), "_checkpoint")} where status = 'running'`,
  );
  const { rows } = await sql<{ transaction_id: string; position: string }>`
    select transaction_id::text, position from (${sql.join(each, sql` union all `)}) running
    order by transaction_id, position limit 1`.execute(db);
  const row = rows[0];
  return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : undefined;
}
