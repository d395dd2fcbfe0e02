import { StreamConflict } from "@aidtrail/domain";
import { type EventStore, type NewEvent, type RecordedEvent, WrongExpectedRevision } from "@aidtrail/event-store";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, backoffDelay, sleep } from "../backoff.js";
import { KeyedMutex } from "../keyed-mutex.js";
import type { Aggregate } from "./aggregate.js";
import { StreamStateCache } from "./stream-state-cache.js";

export interface WriteResult<S> {
  /** State after the write (or as read, when nothing was appended). */
  state: S;
  revision: number;
  /** Events appended by this call, with their positions; empty for an idempotent no-op. */
  appended: RecordedEvent[];
}

/**
 * Load → decide → append with the revision read, for one stream. A conflict means someone else
 * wrote first: re-read and decide again (bounded, jittered). Writers in this process queue on
 * a per-stream mutex, so conflicts only come from other processes.
 */
export class StreamWriter {
  readonly cache: StreamStateCache;
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    cacheSize?: number,
  ) {
    this.cache = new StreamStateCache(store, cacheSize);
  }

  /** Reads the current state of a stream (through the cache). */
  read<S>(streamId: string, aggregate: Aggregate<S>) {
    return this.cache.load(streamId, aggregate);
  }

  /** Runs `decide` on the stream's current state and appends what it returns; DomainErrors pass through. */
  async write<S>(streamId: string, aggregate: Aggregate<S>, decide: (state: S) => NewEvent[]): Promise<WriteResult<S>> {
    return this.mutex.run(streamId, async () => {
      for (let attempt = 0; attempt < this.policy.maxAttempts; attempt++) {
        const { state, revision, events } = await this.decideOn(streamId, aggregate, decide, attempt === 0);
        if (events.length === 0) return { state, revision, appended: [] };
        try {
          const result = await this.store.append(streamId, events, { expectedRevision: revision === -1 ? "no_stream" : revision });
          const recordedAt = new Date();
          const appended = events.map(
            (e, i): RecordedEvent => ({
              position: result.positions[i] ?? 0n,
              transactionId: result.checkpoint.transactionId,
              streamId,
              revision: revision + 1 + i,
              type: e.type,
              data: e.data,
              metadata: e.metadata ?? {},
              recordedAt,
            }),
          );
          const next = appended.reduce(aggregate.evolve, state);
          this.cache.remember(streamId, aggregate, next, result.nextRevision);
          return { state: next, revision: result.nextRevision, appended };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevision)) throw error;
          await sleep(backoffDelay(this.policy, attempt));
        }
      }
      throw new StreamConflict(streamId);
    });
  }

  /**
   * Decides on the cached state without a read when that decision appends: the append's expected
   * revision checks the state was current (a conflict re-reads), so a hot stream written only by this
   * process costs one round trip per write, not two, inside its mutex. A no-op or a refusal
   * (DomainError) is never answered from the cache: it is decided again on the stream as stored.
   */
  private async decideOn<S>(
    streamId: string,
    aggregate: Aggregate<S>,
    decide: (state: S) => NewEvent[],
    useCache: boolean,
  ): Promise<{ state: S; revision: number; events: NewEvent[] }> {
    const cached = useCache ? this.cache.peek(streamId, aggregate) : undefined;
    if (cached) {
      let events: NewEvent[] = [];
      try {
        events = decide(cached.state);
      } catch {
        // decided again below, on the stored stream
      }
      if (events.length > 0) return { ...cached, events };
    }
    const { state, revision } = await this.cache.load(streamId, aggregate);
    return { state, revision, events: decide(state) };
  }
}
