import type { GlobalCheckpoint } from "@aidtrail/event-store";
import { type Kysely, type RawBuilder, type Transaction, sql } from "kysely";
import type { Projection } from "./projection.js";

/** One row per projection schema: where it is in the log and whether it stopped on a poison event. */
export interface ProjectionCheckpoint {
  checkpoint: GlobalCheckpoint;
  status: "running" | "failed";
  failedPosition: bigint | null;
  error: string | null;
  applied: bigint;
}

/** Creates `schema` with the projection's tables and its checkpoint row, if missing. */
export async function ensureProjectionSchema(db: Kysely<any>, schema: string, projection: Projection): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Two processes starting together must not both run the DDL.
    await sql`select pg_advisory_xact_lock(hashtext(${`aidtrail:schema:${schema}`}))`.execute(trx);
    const { rows } = await sql<{ found: boolean }>`
      select exists (select 1 from pg_namespace where nspname = ${schema}) as found`.execute(trx);
    if (rows[0]?.found) return;
    await sql`create schema ${sql.id(schema)}`.execute(trx);
    await sql`select set_config('search_path', ${schema}, true)`.execute(trx);
    await sql`
      create table _checkpoint (
        id int primary key default 1 check (id = 1),
        transaction_id xid8 not null default '0',
        position bigint not null default 0,
        applied bigint not null default 0,
        status text not null default 'running',
        failed_position bigint,
        error text
      )`.execute(trx);
    await sql`insert into _checkpoint default values`.execute(trx);
    await projection.createTables(trx);
  });
}

/** Reads the checkpoint; `forUpdate` also serialises with appliers and the rebuild swap. */
export async function readCheckpoint(
  db: Kysely<any> | Transaction<any>,
  schema: string,
  forUpdate = false,
): Promise<ProjectionCheckpoint> {
  const lock = forUpdate ? sql`for update` : sql``;
  const { rows } = await sql<CheckpointRow>`select transaction_id::text, position, applied, status, failed_position, error
     from ${sql.id(schema, "_checkpoint")} ${lock}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`projection schema ${schema} has no checkpoint row`);
  return checkpointOf(row);
}

interface CheckpointRow {
  transaction_id: string;
  position: string;
  applied: string;
  status: "running" | "failed";
  failed_position: string | null;
  error: string | null;
}

function checkpointOf(row: CheckpointRow): ProjectionCheckpoint {
  return {
    checkpoint: { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) },
    status: row.status,
    failedPosition: row.failed_position === null ? null : BigInt(row.failed_position),
    error: row.error,
    applied: BigInt(row.applied),
  };
}

/** A batch to apply whole: its first and last events, size, and the point it was read after. */
export interface BatchSpan {
  first: GlobalCheckpoint;
  last: GlobalCheckpoint;
  count: number;
  readAfter?: GlobalCheckpoint | undefined;
}

/**
 * Opens an apply transaction in one round trip (a rebuild runs thousands of them): evaluates
 * `held` (the lease check), points the transaction's search_path at `schema`, commits it
 * asynchronously when asked, and reads the checkpoint for update. Given a `span`, it also moves
 * the checkpoint to the span's end when the whole batch is due (running, checkpoint before its
 * first event and not behind the point it was read after) — the usual live batch — so the
 * checkpoint costs no round trip of its own; being the apply's transaction, a failed apply
 * undoes the move. `advanced` says whether it moved; `state` is the checkpoint before.
 */
export async function openApply(
  trx: Transaction<any>,
  schema: string,
  held: RawBuilder<boolean>,
  asyncCommit: boolean,
  span?: BatchSpan,
): Promise<{ held: boolean; advanced: boolean; state: ProjectionCheckpoint }> {
  const { rows } = await openApplyStatement(schema, held, asyncCommit, span, false).execute(trx);
  const row = rows[0];
  if (!row) throw new Error(`projection schema ${schema} has no checkpoint row`);
  return { held: row.held, advanced: row.advanced, state: checkpointOf(row) };
}

/**
 * `openApply` for a transaction whose next statements are sent without waiting for it: the
 * statement raises (so the transaction can only roll back) unless the lease is held and the
 * whole batch is due, in which case it has moved the checkpoint over it.
 */
export function openApplyOrFail(schema: string, held: RawBuilder<boolean>, asyncCommit: boolean, span: BatchSpan): RawBuilder<unknown> {
  return openApplyStatement(schema, held, asyncCommit, span, true);
}

function openApplyStatement(schema: string, held: RawBuilder<boolean>, asyncCommit: boolean, span: BatchSpan | undefined, orFail: boolean) {
  const table = sql.id(schema, "_checkpoint");
  const commit = asyncCommit ? sql`, set_config('synchronous_commit', 'off', true) as commit` : sql``;
  const notBehind = span?.readAfter ? sql`and (transaction_id, position) >= ${tuple(span.readAfter)}` : sql``;
  const due = span ? sql`held and status = 'running' and (transaction_id, position) < ${tuple(span.first)} ${notBehind}` : sql`false`;
  const last = span?.last ?? { transactionId: 0n, position: 0n };
  const fail = orFail
    ? sql`, aidtrail_require(advanced, case when held then ${`batch not due to ${schema}`} else 'projector lease not held' end) as required`
    : sql``;
  return sql<CheckpointRow & { held: boolean; advanced: boolean }>`
    with before as (
      select ${held} as held, set_config('search_path', ${schema}, true) as path ${commit},
             transaction_id, position, applied, status, failed_position, error
      from ${table} for update
    ), decided as (
      select before.*, (${due}) as advanced
      from before
    ), moved as (
      -- Runs whether or not it is read (a data-modifying WITH always does).
      update ${table} set transaction_id = ${last.transactionId.toString()}::xid8, position = ${last.position.toString()},
             applied = ${table}.applied + ${span?.count ?? 0}
      from decided where decided.advanced
      returning 1
    )
    select held, advanced, transaction_id::text, position, applied, status, failed_position, error ${fail}
    from ${orFail ? sql`(select) as one left join decided on true` : sql`decided`}`;
}

/**
 * Moves the checkpoints of `schemas` over a batch none of them had anything to apply from, in one
 * statement (its own transaction): each moves when the batch is due to it as in `openApply`, all
 * only while `held` (the lease check). `moved[i]` says whether `schemas[i]`'s did.
 */
export async function advanceUntouched(
  db: Kysely<any>,
  schemas: readonly string[],
  held: RawBuilder<boolean>,
  asyncCommit: boolean,
  span: BatchSpan,
): Promise<{ held: boolean; moved: boolean[] }> {
  const commit = asyncCommit ? sql`, set_config('synchronous_commit', 'off', true) as commit` : sql``;
  const notBehind = span.readAfter ? sql`and (transaction_id, position) >= ${tuple(span.readAfter)}` : sql``;
  // In the projections' order, as the rebuild's swap locks them: the two never wait on each other in a cycle.
  const moves = schemas.map(
    (schema, i) => sql`${sql.id(`m${i}`)} as (
      update ${sql.id(schema, "_checkpoint")} set transaction_id = ${span.last.transactionId.toString()}::xid8,
             position = ${span.last.position.toString()}, applied = applied + ${span.count}
      from lease where lease.held and status = 'running' and (transaction_id, position) < ${tuple(span.first)} ${notBehind}
      returning ${i}::int as i)`,
  );
  const each = schemas.map((_, i) => sql`select i from ${sql.id(`m${i}`)}`);
  const { rows } = await sql<{ held: boolean; moved: number[] }>`
    with lease as (select ${held} as held ${commit}), ${sql.join(moves)}
    select (select held from lease) as held, array(${sql.join(each, sql` union all `)}) as moved`.execute(db);
  const moved = new Set(rows[0]?.moved ?? []);
  return { held: rows[0]?.held === true, moved: schemas.map((_, i) => moved.has(i)) };
}

function tuple(checkpoint: GlobalCheckpoint): RawBuilder<unknown> {
  return sql`(${checkpoint.transactionId.toString()}::xid8, ${checkpoint.position.toString()}::bigint)`;
}

export async function writeCheckpoint(
  trx: Transaction<any>,
  schema: string,
  checkpoint: GlobalCheckpoint,
  appliedDelta: number,
): Promise<void> {
  await sql`update ${sql.id(schema, "_checkpoint")}
    set transaction_id = ${checkpoint.transactionId.toString()}::xid8, position = ${checkpoint.position.toString()},
        applied = applied + ${appliedDelta}`.execute(trx);
}

export async function markFailed(
  trx: Transaction<any>,
  schema: string,
  failedPosition: bigint,
  error: string,
): Promise<void> {
  await sql`update ${sql.id(schema, "_checkpoint")}
    set status = 'failed', failed_position = ${failedPosition.toString()}, error = ${error}`.execute(trx);
}
