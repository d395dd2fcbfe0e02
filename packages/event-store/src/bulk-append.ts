import type pg from "pg";
import { copyJson, copyText, runCopyScript } from "./copy-script.js";
import { WrongExpectedRevision } from "./errors.js";
import type { AppendResult, ExpectedRevision, NewEvent } from "./event-store.js";
import { DEFAULT_MAX_EVENT_BYTES, type ValidationOptions, revisionMatches, serialiseEvent } from "./event-validation.js";

/** Events validated, serialised and sent per COPY chunk. */
const CHUNK_EVENTS = 100;

/**
 * One large append as one script in a transaction of its own, one round trip: lock the stream
 * (creating it if need be) and return its revision; COPY the events in while they are validated
 * and serialised (chunk k+1 is made while the server inserts chunk k), once the revision is
 * checked; bump the stream's revision; read the positions back; commit. A conflict or an invalid
 * event fails the COPY, so the server runs nothing after it and the transaction is rolled back:
 * the typed error is thrown and nothing is written. The caller has already run `checkAppend`.
 */
export async function bulkAppend(
  pool: pg.Pool,
  streamId: string,
  expected: ExpectedRevision,
  events: readonly NewEvent[],
  validation: ValidationOptions,
): Promise<AppendResult> {
  const client = await pool.connect();
  const stream = client.escapeLiteral(streamId);
  // checkAppend's id pattern has no COPY escapes today; escaping anyway keeps the row's id the locked one.
  const streamField = copyText(streamId);
  const count = events.length;
  const limit = validation.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  let broken: Error | undefined;
  try {
    const rows = await runCopyScript(
      client,
      `begin;
       insert into streams (stream_id, revision) values (${stream}, -1)
         on conflict (stream_id) do update set revision = streams.revision returning revision;
       copy events (stream_id, revision, type, data, metadata) from stdin;
       update streams set revision = revision + ${count} where stream_id = ${stream};
       select array_agg(position order by revision), pg_current_xact_id() from events
         where stream_id = ${stream} and revision > (select revision from streams where stream_id = ${stream}) - ${count};
       commit`,
      ([locked]) => {
        const current = Number(locked?.[0]);
        if (!revisionMatches(expected, current)) throw new WrongExpectedRevision(streamId, expected, current);
        let next = 0;
        return () => {
          if (next >= count) return undefined;
          const end = Math.min(next + CHUNK_EVENTS, count);
          let text = "";
          for (; next < end; next++) {
            const event = serialiseEvent(events[next]!, validation.registry, limit);
            text += `${streamField}\t${current + 1 + next}\t${copyText(event.type)}\t${copyJson(event.dataJson)}\t${copyJson(event.metadataJson)}\n`;
          }
          return text;
        };
      },
    );
    const [locked] = rows;
    const [positionsText, transactionId] = rows[rows.length - 1] ?? [];
    const positions = (positionsText ?? "{}").slice(1, -1).split(",").filter(Boolean).map(BigInt);
    // Committed by now; the numbers came from the same transaction that held the stream's lock.
    const nextRevision = Number(locked?.[0]) + count;
    return { nextRevision, positions, checkpoint: { transactionId: BigInt(transactionId ?? "0"), position: positions.at(-1)! } };
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is not given to the next caller.
    client.release(broken);
  }
}
