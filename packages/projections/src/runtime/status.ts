import { type Kysely, sql } from "kysely";
import { readCheckpoint } from "./checkpoint-store.js";
import { type Projection, liveSchema } from "./projection.js";

export interface ProjectionStatus {
  name: string;
  status: "running" | "failed" | "missing";
  position: bigint;
  /** Events behind the head of the log (by position, an upper bound under concurrency). */
  lagPositions: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  lagSeconds: number;
  error: string | null;
}

/** Where every projection stands against the head of the log. */
export async function projectionStatus(db: Kysely<any>, projections: readonly Projection[]): Promise<ProjectionStatus[]> {
  const { rows } = await sql<{ head: string | null }>`select max(position) as head from events`.execute(db);
  const head = BigInt(rows[0]?.head ?? 0);
  const out: ProjectionStatus[] = [];
  for (const p of projections) {
    const schema = liveSchema(p.name);
    const exists = await sql<{ found: boolean }>`select exists (select 1 from pg_namespace where nspname = ${schema}) as found`.execute(db);
    if (!exists.rows[0]?.found) {
      out.push({ name: p.name, status: "missing", position: 0n, lagPositions: Number(head), lagSeconds: 0, error: null });
      continue;
    }
    const state = await readCheckpoint(db, schema);
    const next = await sql<{ recorded_at: Date }>`
      select recorded_at from events
      where (transaction_id, position) > (${state.checkpoint.transactionId.toString()}::xid8, ${state.checkpoint.position.toString()}::bigint)
      order by transaction_id, position limit 1`.execute(db);
    const oldest = next.rows[0]?.recorded_at;
    out.push({
      name: p.name,
      status: state.status,
      position: state.checkpoint.position,
      lagPositions: Math.max(0, Number(head - state.checkpoint.position)),
      lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
      error: state.error,
    });
  }
  return out;
}
