import type { RecordedEvent } from "@aidtrail/event-store";

/** What a simple command answers: the stream, its revision, and the events it appended (none on a retry). */
export interface CommandResult {
  streamId: string;
  revision: number;
  events: Array<{ type: string; position: string }>;
}

/** Summarises a write for the caller; positions as decimal strings (bigint-safe JSON). */
export function commandResult(streamId: string, revision: number, appended: readonly RecordedEvent[]): CommandResult {
  return { streamId, revision, events: appended.map((e) => ({ type: e.type, position: e.position.toString() })) };
}
