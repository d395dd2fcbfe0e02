import { StreamConflict } from "@aidtrail/domain";
import { type EventStore, type NewEvent, type RecordedEvent, WrongExpectedRevision } from "@aidtrail/event-store";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, backoffDelay, sleep } from "../backoff.js";
import type { Aggregate } from "./aggregate.js";
import { StreamStateCache } from "./stream-state-cache.js";

export interface WriteResult<S> {
  /** State after the write (or as read, when nothing was appended). */
  state: S;
  revision: number;
  /** Events appended by this call, with their positions; empty for an idempotent no-op. */
  appended: RecordedEvent[];
}

interface PendingWrite {
  aggregate: Aggregate<unknown>;
  decide: (state: unknown) => NewEvent[];
  resolve: (result: WriteResult<unknown>) => void;
  reject: (error: unknown) => void;
}

type Outcome = { events: NewEvent[]; state: unknown } | { error: unknown };

/** Writes decided together and appended as one; bounded so one append stays small. */
const MAX_GROUP = 64;

/**
 * Load → decide → append with the revision read, for one stream. Writers of one stream in this
 * process queue, and whoever is waiting when the stream comes free is decided together: each
 * decision sees the state left by the ones before it, and all their events go out in ONE append
 * with one expected revision. A hot stream (a program's budget) thus takes many payments per
 * round trip, with exactly the outcome of deciding them one after another. A conflict means
 * another process wrote first: re-read and decide the group again (bounded, jittered).
 */
export class StreamWriter {
  readonly cache: StreamStateCache;
  private readonly queues = new Map<string, PendingWrite[]>();

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

  /**
   * The state as this process last saw or wrote it, read from the store only when it has none.
   * It may lag behind other processes' writes (never ahead): only for callers whose every
   * decision on it is checked again by an expected revision, or to which any later state gives
   * the same answer (a payment's first answer).
   */
  lastSeen<S>(streamId: string, aggregate: Aggregate<S>) {
    return this.cache.peek(streamId, aggregate) ?? this.cache.load(streamId, aggregate);
  }

  /** Runs `decide` on the stream's current state and appends what it returns; DomainErrors pass through. */
  write<S>(streamId: string, aggregate: Aggregate<S>, decide: (state: S) => NewEvent[]): Promise<WriteResult<S>> {
    return new Promise<WriteResult<S>>((resolve, reject) => {
      const queue = this.queues.get(streamId);
      const pending: PendingWrite = {
        aggregate: aggregate as Aggregate<unknown>,
        decide: decide as (state: unknown) => NewEvent[],
        resolve: resolve as (result: WriteResult<unknown>) => void,
        reject,
      };
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(streamId, [pending]);
      void this.drain(streamId);
    });
  }

  /** Writes the stream's queue group by group until it is empty, then lets the stream go. */
  private async drain(streamId: string): Promise<void> {
    const queue = this.queues.get(streamId)!;
    while (queue.length > 0) {
      // One aggregate per group: a stream is always folded the same way, but do not assume it.
      const aggregate = queue[0]!.aggregate;
      let size = 0;
      while (size < queue.length && size < MAX_GROUP && queue[size]!.aggregate === aggregate) size++;
      const group = queue.splice(0, size);
      try {
        await this.writeGroup(streamId, aggregate, group);
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.queues.delete(streamId);
  }

  private async writeGroup(streamId: string, aggregate: Aggregate<unknown>, group: PendingWrite[]): Promise<void> {
    for (let attempt = 0; attempt < this.policy.maxAttempts; attempt++) {
      const { state, revision, outcomes } = await this.decideGroup(streamId, aggregate, group, attempt === 0);
      const events = outcomes.flatMap((o) => ("events" in o ? o.events : []));
      if (events.length === 0) {
        settle(group, outcomes, () => ({ revision, appended: [] }));
        return;
      }
      try {
        const result = await this.store.append(streamId, events, { expectedRevision: revision === -1 ? "no_stream" : revision });
        const recordedAt = new Date();
        const recorded = events.map(
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
        const next = recorded.reduce(aggregate.evolve, state);
        this.cache.remember(streamId, aggregate, next, result.nextRevision);
        // Hand each writer its own slice of the append, and the state right after it.
        let offset = 0;
        settle(group, outcomes, (outcome) => {
          const mine = recorded.slice(offset, offset + outcome.events.length);
          offset += outcome.events.length;
          return { revision: mine.at(-1)?.revision ?? revision + offset, appended: mine };
        });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        await sleep(backoffDelay(this.policy, attempt));
      }
    }
    throw new StreamConflict(streamId);
  }

  /**
   * Decides every write of the group in order, each on the state the previous ones leave. The
   * first attempt decides without a read when every decision appends: on the cached state, or,
   * for a stream this process has not seen, on "no stream yet" (a new payment, a new slot). The
   * expected revision checks the guess; a wrong one costs a failed append and a read. A refusal
   * or a no-op is never answered from a guess: the group is decided again on the stream as stored.
   */
  private async decideGroup(
    streamId: string,
    aggregate: Aggregate<unknown>,
    group: readonly PendingWrite[],
    guess: boolean,
  ): Promise<{ state: unknown; revision: number; outcomes: Outcome[] }> {
    if (guess) {
      const guessed = this.cache.peek(streamId, aggregate) ?? { state: aggregate.initialState(), revision: -1 };
      const outcomes = decideInOrder(streamId, aggregate, group, guessed.state, guessed.revision);
      if (outcomes.every((o) => "events" in o && o.events.length > 0)) return { ...guessed, outcomes };
    }
    const { state, revision } = await this.cache.load(streamId, aggregate);
    return { state, revision, outcomes: decideInOrder(streamId, aggregate, group, state, revision) };
  }
}

function decideInOrder(
  streamId: string,
  aggregate: Aggregate<unknown>,
  group: readonly PendingWrite[],
  initial: unknown,
  revision: number,
): Outcome[] {
  let state = initial;
  let next = revision;
  return group.map((write): Outcome => {
    try {
      const events = write.decide(state);
      // Provisional records: evolve needs recorded events; positions are filled in after the append.
      for (const e of events) {
        next++;
        state = aggregate.evolve(state, {
          position: 0n,
          transactionId: 0n,
          streamId,
          revision: next,
          type: e.type,
          data: e.data,
          metadata: e.metadata ?? {},
          recordedAt: new Date(0),
        });
      }
      return { events, state };
    } catch (error) {
      return { error };
    }
  });
}

function settle(
  group: readonly PendingWrite[],
  outcomes: readonly Outcome[],
  written: (outcome: { events: NewEvent[]; state: unknown }) => { revision: number; appended: RecordedEvent[] },
): void {
  group.forEach((write, i) => {
    const outcome = outcomes[i]!;
    if ("error" in outcome) write.reject(outcome.error);
    else write.resolve({ state: outcome.state, ...written(outcome) });
  });
}
