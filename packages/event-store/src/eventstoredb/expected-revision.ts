import { type AppendExpectedRevision, type CurrentRevision, ANY, NO_STREAM, STREAM_EXISTS } from "@eventstore/db-client";
import type { ExpectedRevision } from "../event-store.js";

/** The port's expected revision in the client's terms; a number is the last event's revision, as in ESDB. */
export function toAppendExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case "no_stream":
      return NO_STREAM;
    case "stream_exists":
      return STREAM_EXISTS;
    case "any":
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** The port reports a missing stream as revision -1 (see WrongExpectedRevision). */
export function fromCurrentRevision(current: CurrentRevision): number {
  return current === NO_STREAM ? -1 : Number(current);
}
