import type { Database } from "@aidtrail/db";
import { type Kysely, sql } from "kysely";
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
): Promise<Array<AppendResult | WrongExpectedRevision>> {
  const streamIds = appends.map((r) => r.streamId);
  const expected = appends.map((r) => encodeExpected(r.expected));
  const counts = appends.map((r) => r.events.length);
  const eventsJson = `[${appends.flatMap((r) => r.events.map((e) => e.json)).join(",")}]`;
  const { rows } = await sql<BatchRow>`
    select b.*, pg_current_xact_id()::text as transaction_id
    from aidtrail_append_batch(${streamIds}::text[], ${expected}::bigint[], ${counts}::int[], ${eventsJson}::jsonb) b`.execute(db);
  return appends.map((request, i) => {
    const row = rows[i];
    if (!row) throw new Error(`append batch returned no row for append ${i}`);
    const current = Number(row.current_revision);
    if (!row.ok || !row.positions) return new WrongExpectedRevision(request.streamId, request.expected, current);
    const positions = row.positions.map((p) => BigInt(p));
    const last = positions[positions.length - 1] ?? 0n;
    return {
      nextRevision: current,
      positions,
      checkpoint: { transactionId: BigInt(row.transaction_id), position: last },
    };
  });
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
