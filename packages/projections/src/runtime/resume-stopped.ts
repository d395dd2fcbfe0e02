import { type Kysely, sql } from "kysely";

/** Where a projection had stopped, as `resumeStopped` found it. */
export interface ResumedProjection {
  failedPosition: bigint | null;
  error: string | null;
}

/**
 * Sets a projection that stopped on a poison event running again from its checkpoint, once the
 * fix is deployed: the running projector picks it up within `Projector`'s recheck of stopped
 * projections and retries the event (it stops again if the event still fails). Undefined when
 * the projection was not stopped; throws when `schema` has no checkpoint table.
 */
export async function resumeStopped(db: Kysely<any>, schema: string): Promise<ResumedProjection | undefined> {
  const { rows } = await sql<{ failed_position: string | null; error: string | null }>`
    with stopped as (select failed_position, error from ${sql.id(schema, "_checkpoint")} where status = 'failed' for update)
    update ${sql.id(schema, "_checkpoint")} set status = 'running', failed_position = null, error = null
    from stopped
    returning stopped.failed_position, stopped.error`.execute(db);
  const row = rows[0];
  return row && { failedPosition: row.failed_position === null ? null : BigInt(row.failed_position), error: row.error };
}
