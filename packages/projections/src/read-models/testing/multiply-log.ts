import type { RecordedEvent } from "@aidtrail/event-store";
import { type Kysely, sql } from "kysely";

/** Renames every id (any `...Id` field but villages) so copy `k` of a log is a township of its own. */
function renamed(value: unknown, suffix: string, key = ""): unknown {
  if (typeof value === "string") return key.endsWith("Id") && key !== "villageId" ? `${value}~${suffix}` : value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, suffix, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, suffix, k)]));
  }
  return value;
}

/**
 * Appends `copies` renamed copies of `events` straight into the events table (benchmarks only:
 * no validation, no concurrency checks), `chunk` events per transaction so the copies have
 * many transaction ids as a real log does.
 */
export async function multiplyLog(db: Kysely<any>, events: readonly RecordedEvent[], copies: number, chunk = 5_000): Promise<number> {
  let appended = 0;
  for (let k = 1; k <= copies; k++) {
    const rows = events.map((e) => {
      const dash = e.streamId.indexOf("-");
      return {
        stream_id: `${e.streamId.slice(0, dash)}-${e.streamId.slice(dash + 1)}~${k}`,
        revision: e.revision,
        type: e.type,
        data: renamed(e.data, String(k)),
        metadata: e.metadata,
      };
    });
    for (let i = 0; i < rows.length; i += chunk) {
      await sql`
        insert into events (stream_id, revision, type, data, metadata)
        select r.stream_id, r.revision, r.type, r.data, r.metadata
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + chunk))}::jsonb)
          as r(stream_id text, revision bigint, type text, data jsonb, metadata jsonb)`.execute(db);
    }
    appended += rows.length;
  }
  return appended;
}
