import { EventSchemaViolation, EventTooLarge, InvalidAppend, WrongExpectedRevision } from "@aidtrail/event-store";

/**
 * Event-store refusals of what a request asked to store. The store wrote nothing, and the cause
 * is the request (data no event may hold) or a concurrent writer, so the client gets a 4xx. The
 * routes' own checks should refuse such input first: reaching this is logged as a warning.
 * An unknown event type is not here: that is a server bug, answered 500.
 */
export function eventStoreRefusal(error: unknown): { status: number; code: string } | undefined {
  if (error instanceof WrongExpectedRevision) return { status: 409, code: error.code };
  if (error instanceof EventSchemaViolation || error instanceof EventTooLarge || error instanceof InvalidAppend) {
    return { status: 422, code: error.code };
  }
  return undefined;
}
