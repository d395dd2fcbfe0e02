import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent, StreamAppend } from "@aidtrail/event-store";
import type { Aggregate } from "./aggregate.js";
import type { StreamStateCache } from "./stream-state-cache.js";

/** Events for another stream that must be stored in the same transaction as a write to a hot stream. */
export interface Companion {
  streamId: string;
  aggregate: Aggregate<unknown>;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** What one write decides: its stream's events, and companions stored just before and just after them. */
export interface Decision {
  events: NewEvent[];
  before?: readonly Companion[];
  after?: readonly Companion[];
}

/** Whose each appendMany entry is: a write of the group (by index), and which companion (null: the write's own events). */
export interface EntryOwner {
  write: number;
  companion: Companion | null;
}

/**
 * One appendMany for a group decided together: for each write, its companions before, its own
 * events (expected revision: what the writes before it left), its companions after. Global order
 * follows the entries, so each write's events stay in the order it decided them.
 */
export function jointEntries(
  streamId: string,
  revision: number,
  decisions: ReadonlyArray<Decision | null>,
): { entries: StreamAppend[]; owners: EntryOwner[] } {
  const entries: StreamAppend[] = [];
  const owners: EntryOwner[] = [];
  let next = revision;
  const companion = (write: number) => (c: Companion) => {
    if (c.streamId === streamId) throw new Error(`a companion of ${streamId} cannot be ${streamId} itself`);
    entries.push({ streamId: c.streamId, events: c.events, expectedRevision: c.expectedRevision });
    owners.push({ write, companion: c });
  };
  decisions.forEach((decision, write) => {
    if (decision === null) return;
    decision.before?.forEach(companion(write));
    if (decision.events.length > 0) {
      entries.push({ streamId, events: decision.events, expectedRevision: next === -1 ? "no_stream" : next });
      owners.push({ write, companion: null });
      next += decision.events.length;
    }
    decision.after?.forEach(companion(write));
  });
  return { entries, owners };
}

/** The events of one entry as stored (recordedAt is this process's clock: only a hint for the cache). */
export function recordedOf(streamId: string, events: readonly NewEvent[], result: AppendResult, recordedAt: Date): RecordedEvent[] {
  const first = result.nextRevision - events.length + 1;
  return events.map((e, i) => ({
    position: result.positions[i] ?? 0n,
    transactionId: result.checkpoint.transactionId,
    streamId,
    revision: first + i,
    type: e.type,
    data: e.data,
    metadata: e.metadata ?? {},
    recordedAt,
  }));
}

/**
 * Caches the companions' states after a joint append, entry by entry. A companion's state is
 * known when its stream was new ("no_stream"), written by an earlier entry, or cached at exactly
 * the revision it expected; otherwise it is left for the next read.
 */
export function rememberCompanions(
  cache: StreamStateCache,
  entries: readonly StreamAppend[],
  owners: readonly EntryOwner[],
  results: readonly AppendResult[],
  recordedAt: Date,
): void {
  const seen = new Map<string, { state: unknown; revision: number }>();
  entries.forEach((entry, k) => {
    const c = owners[k]!.companion;
    if (c === null) return;
    const cached = cache.peek(entry.streamId, c.aggregate);
    const base =
      seen.get(entry.streamId) ??
      (entry.expectedRevision === "no_stream"
        ? { state: c.aggregate.initialState(), revision: -1 }
        : cached && cached.revision === entry.expectedRevision
          ? cached
          : undefined);
    if (base === undefined) return;
    const state = recordedOf(entry.streamId, entry.events, results[k]!, recordedAt).reduce(c.aggregate.evolve, base.state);
    seen.set(entry.streamId, { state, revision: results[k]!.nextRevision });
    cache.remember(entry.streamId, c.aggregate, state, results[k]!.nextRevision);
  });
}
