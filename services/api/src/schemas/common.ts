import { Id } from "@aidtrail/domain";
import type { EventStore, RecordedEvent } from "@aidtrail/event-store";
import { z } from "zod";
import { Problem } from "../problems/problem.js";

/** A global position in the event log, as a decimal string (bigint-safe in JSON). */
export const Position = z.string().regex(/^\d+$/).describe("global position of the event in the log (decimal)");

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A global position a client asks for: digits within PostgreSQL's bigint (beyond it SQL would fail, not answer). */
export const PositionQuery = z
  .string()
  .regex(/^\d{1,19}$/, "a global position")
  // zod runs this even when the regex failed: only digits go to BigInt.
  .refine((v) => !/^\d+$/.test(v) || BigInt(v) <= MAX_BIGINT, "a global position is at most 9223372036854775807");

/** Every route may answer with a problem; declared so OpenAPI documents it and serialisation checks it. */
export const problemResponses = { "4xx": Problem, "5xx": Problem } as const;

export const IdParams = z.strictObject({ id: Id });

/** What a route needs besides the command handlers. */
export interface RouteDeps {
  store: EventStore;
}

/**
 * Position of the first event of a stream matching `match`: the answer a retry gets when the
 * decider found nothing new to append (the same id with the same body).
 */
export async function positionWhere(store: EventStore, streamId: string, match: (e: RecordedEvent) => boolean): Promise<string> {
  for (const e of await store.readStream(streamId)) if (match(e)) return e.position.toString();
  throw new Error(`no matching event in ${streamId} after an idempotent retry`);
}

/** The position of the first appended event, or, on an idempotent retry, of the matching stored one. */
export async function answerPosition(
  store: EventStore,
  result: { streamId: string; events: Array<{ position: string }> },
  match: (e: RecordedEvent) => boolean = () => true,
): Promise<string> {
  return result.events[0]?.position ?? positionWhere(store, result.streamId, match);
}
