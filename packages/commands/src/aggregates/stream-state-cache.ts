import type { EventStore, RecordedEvent } from "@aidtrail/event-store";
import type { Aggregate } from "./aggregate.js";

/** A stream's state and the revision of its last event (-1: no stream). */
export interface Loaded<S> {
  state: S;
  revision: number;
}

interface Entry {
  aggregate: Aggregate<unknown>;
  state: unknown;
  revision: number;
}

/**
 * In-process state per stream. A load reads only the events after the cached revision, so a
 * program stream with thousands of reservations costs one short query, not a full replay.
 * States are immutable values (deciders return new objects), so sharing them is safe.
 * Bounded as an LRU: disbursement streams are written once and would otherwise pile up.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: EventStore,
    private readonly maxEntries = 50_000,
  ) {}

  /** Current state of `streamId`, reading from the store only what the cache has not seen. */
  async load<S>(streamId: string, aggregate: Aggregate<S>): Promise<Loaded<S>> {
    const cached = this.entries.get(streamId);
    if (cached && cached.aggregate === aggregate) {
      const tail = await this.store.readStream(streamId, { fromRevision: cached.revision + 1 });
      if (tail.length === 0) return { state: cached.state as S, revision: cached.revision };
      return this.remember(streamId, aggregate, fold(aggregate, cached.state as S, tail), tail.at(-1)!.revision);
    }
    const events = await this.store.readStream(streamId);
    const state = aggregate.replay ? aggregate.replay(events) : fold(aggregate, aggregate.initialState(), events);
    return this.remember(streamId, aggregate, state, events.at(-1)?.revision ?? -1);
  }

  /**
   * The cached state without asking the store (undefined when not cached). It may be behind the
   * store if another process wrote since: only for a decision whose append checks the revision.
   */
  peek<S>(streamId: string, aggregate: Aggregate<S>): Loaded<S> | undefined {
    const cached = this.entries.get(streamId);
    return cached && cached.aggregate === aggregate ? { state: cached.state as S, revision: cached.revision } : undefined;
  }

  /** Records a state seen at `revision`; an older sighting never replaces a newer one. */
  remember<S>(streamId: string, aggregate: Aggregate<S>, state: S, revision: number): Loaded<S> {
    const current = this.entries.get(streamId);
    if (current && current.aggregate === aggregate && current.revision > revision) {
      return { state: current.state as S, revision: current.revision };
    }
    this.entries.delete(streamId);
    this.entries.set(streamId, { aggregate: aggregate as Aggregate<unknown>, state, revision });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return { state, revision };
  }
}

function fold<S>(aggregate: Aggregate<S>, state: S, events: readonly RecordedEvent[]): S {
  return events.reduce(aggregate.evolve, state);
}
