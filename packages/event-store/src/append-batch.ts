import type { Database } from "@aidtrail/db";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { appendEventTexts, type CanonicalJson } from "./append-event-texts.js";
import { WrongExpectedRevision } from "./errors.js";
import type { AppendResult } from "./event-store.js";
import { encodeExpected, type ValidatedAppend } from "./event-validation.js";

interface BatchRow {
  append_index: number;
  ok: boolean;
  current_revision: string;
  positions: string[] | null;
  transaction_id: string;
}

/**
 * Runs aidtrail_append_batch on `appends`, in their order, in the caller's transaction (or its
 * own): one outcome per append, a WrongExpectedRevision for each that did not match.
 */
export async function appendBatch(
  db: Kysely<Database>,
  appends: readonly ValidatedAppend[],
  canonicalJson?: CanonicalJson,
): Promise<Array<AppendResult | WrongExpectedRevision>> {
  const rows = await callAppendFunction(db, sql`aidtrail_append_batch`, appends, canonicalJson);
  return appends.map((request, i) => {
    const row = rows[i];
    if (!row) throw new Error(`append batch returned no row for append ${i}`);
    return row.ok ? resultOf(row) : new WrongExpectedRevision(request.streamId, request.expected, Number(row.current_revision));
  });
}

/**
 * Runs aidtrail_append_atomic on `appends`: one statement that writes every append or none, so
 * one round trip and no transaction of ours. Throws WrongExpectedRevision naming the first
 * conflicting append (its entryIndex) when it wrote nothing.
 */
export async function appendAtomic(
  db: Kysely<Database>,
  appends: readonly ValidatedAppend[],
  canonicalJson?: CanonicalJson,
): Promise<AppendResult[]> {
  const rows = await callAppendFunction(db, sql`aidtrail_append_atomic`, appends, canonicalJson);
  const conflict = rows.find((row) => !row.ok);
  if (conflict) {
    const entry = appends[conflict.append_index];
    if (!entry) throw new Error(`atomic append named entry ${conflict.append_index} of ${appends.length}`);
    throw new WrongExpectedRevision(entry.streamId, entry.expected, Number(conflict.current_revision), conflict.append_index);
  }
  if (rows.length !== appends.length) throw new Error(`atomic append returned ${rows.length} rows for ${appends.length} appends`);
  const results = rows.map(resultOf);
  // A revision check wrote nothing of its own: its checkpoint is the call's (its last event).
  const last = results.reduce((at, r) => (r.checkpoint.position > at.position ? r.checkpoint : at), results[0]!.checkpoint);
  return results.map((r) => (r.positions.length === 0 ? { ...r, checkpoint: last } : r));
}

async function callAppendFunction(
  db: Kysely<Database>,
  fn: RawBuilder<unknown>,
  appends: readonly ValidatedAppend[],
  canonicalJson: CanonicalJson | undefined,
): Promise<BatchRow[]> {
  const streamIds = appends.map((r) => r.streamId);
  const expected = appends.map((r) => encodeExpected(r.expected));
  const counts = appends.map((r) => r.events.length);
  const events = appendEventTexts(
    appends.flatMap((r) => r.events),
    canonicalJson,
  );
  const { rows } = await sql<BatchRow>`
    select b.*, pg_current_xact_id()::text as transaction_id
    from ${fn}(${streamIds}::text[], ${expected}::bigint[], ${counts}::int[], ${events.types}::text[],
               ${events.data}::text, ${events.metadata}::text, ${events.leaves}::boolean) b`.execute(db);
  return rows;
}

function resultOf(row: BatchRow): AppendResult {
  const positions = (row.positions ?? []).map((p) => BigInt(p));
  return {
    nextRevision: Number(row.current_revision),
    positions,
    checkpoint: { transactionId: BigInt(row.transaction_id), position: positions[positions.length - 1] ?? 0n },
  };
}

const RETRYABLE = new Set(["40P01", "40001"]);

/** Runs `attempt` again after a deadlock or serialization failure, at most `maxRetries` times. */
export async function retryingTransientFailures<T>(maxRetries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE.has(code) && tries < maxRetries) continue;
      throw error;
    }
  }
}
