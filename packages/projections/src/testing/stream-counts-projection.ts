import type { RecordedEvent } from "@aidtrail/event-store";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Projection } from "../runtime/projection.js";
import type { Projector } from "../runtime/projector.js";

/**
 * A minimal projection for runtime tests: events per stream, and a poison type that always throws.
 * With `onlyType` it counts events of that type alone, and a batch without one issues no statement.
 */
export function streamCountsProjection(options: { name?: string; poisonType?: string; delayMs?: number; onlyType?: string } = {}): Projection {
  return {
    name: options.name ?? "stream_counts",
    tables: ["stream_counts"],
    async createTables(trx: Transaction<any>) {
      await sql`create table stream_counts (stream_id text primary key, events int not null, last_position bigint not null)`.execute(trx);
    },
    async applyBatch(trx: Transaction<any>, events: readonly RecordedEvent[]) {
      if (options.poisonType && events.some((e) => e.type === options.poisonType)) {
        throw new Error(`cannot apply ${options.poisonType}`);
      }
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const counts = new Map<string, { n: number; last: bigint }>();
      for (const e of events) {
        if (options.onlyType !== undefined && e.type !== options.onlyType) continue;
        const c = counts.get(e.streamId) ?? { n: 0, last: 0n };
        counts.set(e.streamId, { n: c.n + 1, last: e.position });
      }
      const rows = [...counts].map(([stream_id, c]) => ({ stream_id, n: c.n, last: c.last.toString() }));
      if (rows.length === 0) return;
      await sql`
        insert into stream_counts (stream_id, events, last_position)
        select r.stream_id, r.n, r.last::bigint from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(stream_id text, n int, last text)
        on conflict (stream_id) do update set events = stream_counts.events + excluded.events, last_position = excluded.last_position`.execute(trx);
    },
  };
}

/** The counts a stream-counts projection in `schema` holds for streams `<prefix>-…`, by stream. */
export async function streamCounts(db: Kysely<any>, schema: string, prefix: string): Promise<Array<{ stream_id: string; events: number }>> {
  const { rows } = await sql<{ stream_id: string; events: number }>`
    select stream_id, events from ${sql.id(schema, "stream_counts")} where stream_id like ${`${prefix}-%`} order by stream_id`.execute(db);
  return rows;
}

/** Runs batches until the projector has caught up with the log. */
export async function drain(projector: Projector): Promise<void> {
  for (;;) if ((await projector.runOnce()).caughtUp) return;
}
