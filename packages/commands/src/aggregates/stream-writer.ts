import { StreamConflict } from "@aidtrail/domain";
import { type AppendResult, type EventStore, type NewEvent, type RecordedEvent, WrongExpectedRevision } from "@aidtrail/event-store";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, backoffDelay, sleep } from "../backoff.js";
import type { Aggregate } from "./aggregate.js";
import { type Decision, type EntryOwner, jointEntries, recordedOf, rememberCompanions } from "./joint-append.js";
import { StreamStateCache } from "./stream-state-cache.js";

export interface WriteResult<S> {
  /** State after the write (or as read, when nothing was appended). */
  state: S;
  revision: number;
  /** Events appended by this call, with their positions; empty for an idempotent no-op. */
  appended: RecordedEvent[];
}

export interface JointWriteResult<S> extends WriteResult<S> {
  /** Where each companion landed: the `before` ones, then the `after` ones, in the order decided. */
  companions: AppendResult[];
}

/**
 * A companion stream of a joint write was not at the revision it expected (a retried payment id,
 * a slot already taken). Only that write is dropped from its group, and nothing of it is stored.
 */
export class CompanionConflict extends Error {
  override readonly name = "CompanionConflict";
  constructor(readonly streamId: string) {
    super(`companion stream ${streamId} is not at the expected revision`);
  }
}

interface PendingWrite {
  aggregate: Aggregate<unknown>;
  decide: (state: unknown) => Decision;
  resolve: (result: JointWriteResult<unknown>) => void;
  reject: (error: unknown) => void;
}

type Outcome = { decision: Decision; state: unknown } | { error: unknown };

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
    return this.writeJointly(streamId, aggregate, (state) => ({ events: decide(state) }));
  }

  /** Whether the store can take a write with companions (an atomic multi-stream append). */
  get canWriteJointly(): boolean {
    return this.store.appendMany !== undefined;
  }

  /**
   * As `write`, and the decision may carry companions: events for other streams stored in the
   * same transaction (only where `canWriteJointly`). Writers of the stream are still grouped, so
   * a group of joint writes is one multi-stream append. A companion that conflicts rejects its
   * write alone with CompanionConflict; the rest of the group is decided again and appended.
   */
  writeJointly<S>(streamId: string, aggregate: Aggregate<S>, decide: (state: S) => Decision): Promise<JointWriteResult<S>> {
    return new Promise<JointWriteResult<S>>((resolve, reject) => {
      const queue = this.queues.get(streamId);
      const pending: PendingWrite = {
        aggregate: aggregate as Aggregate<unknown>,
        decide: decide as (state: unknown) => Decision,
        resolve: resolve as (result: JointWriteResult<unknown>) => void,
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
    let live = group;
    for (let attempt = 0; attempt < this.policy.maxAttempts; ) {
      const decided = await this.decideGroup(streamId, aggregate, live, attempt === 0);
      const decisions = decided.outcomes.map((o) => ("decision" in o ? o.decision : null));
      const joint = decisions.some((d) => d !== null && ((d.before?.length ?? 0) > 0 || (d.after?.length ?? 0) > 0));
      const { entries, owners } = jointEntries(streamId, decided.revision, decisions);
      if (entries.length === 0) {
        settle(live, decided.outcomes, () => ({ revision: decided.revision, appended: [], companions: [] }));
        return;
      }
      try {
        await this.appendGroup(streamId, aggregate, live, decided, entries, owners, joint);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        const culprit = joint ? companionOwner(error, entries, owners) : undefined;
        if (culprit !== undefined) {
          // Nothing was stored: drop the write whose companion conflicted and decide the rest again.
          const dropped = live[culprit]!;
          dropped.reject(new CompanionConflict(error.streamId));
          live = live.filter((w) => w !== dropped);
          if (live.length === 0) return;
          continue;
        }
        await sleep(backoffDelay(this.policy, attempt));
        attempt++;
      }
    }
    throw new StreamConflict(streamId);
  }

  /** One append (or one appendMany with companions) for the decided group, then each writer gets its share. */
  private async appendGroup(
    streamId: string,
    aggregate: Aggregate<unknown>,
    group: readonly PendingWrite[],
    decided: { state: unknown; revision: number; outcomes: Outcome[] },
    entries: ReturnType<typeof jointEntries>["entries"],
    owners: readonly EntryOwner[],
    joint: boolean,
  ): Promise<void> {
    let results: AppendResult[];
    if (joint) {
      if (!this.store.appendMany) throw new Error("this event store has no atomic multi-stream append");
      results = await this.store.appendMany(entries);
    } else {
      // Only the stream's own events: one plain append (EventStoreDB has no appendMany).
      const events = entries.flatMap((e) => e.events);
      const { revision } = decided;
      const result = await this.store.append(streamId, events, { expectedRevision: revision === -1 ? "no_stream" : revision });
      results = splitResult(entries, result);
    }
    const recordedAt = new Date();
    const own: RecordedEvent[][] = group.map(() => []);
    const companions: AppendResult[][] = group.map(() => []);
    entries.forEach((entry, k) => {
      const owner = owners[k]!;
      if (owner.companion === null) own[owner.write]!.push(...recordedOf(streamId, entry.events, results[k]!, recordedAt));
      else companions[owner.write]!.push(results[k]!);
    });
    const recorded = own.flat();
    if (recorded.length > 0) {
      const next = recorded.reduce(aggregate.evolve, decided.state);
      this.cache.remember(streamId, aggregate, next, recorded.at(-1)!.revision);
    }
    rememberCompanions(this.cache, entries, owners, results, recordedAt);
    // Hand each writer its own events, where its companions landed, and the state right after it.
    let revision = decided.revision;
    settle(group, decided.outcomes, (_, i) => {
      const mine = own[i]!;
      revision = mine.at(-1)?.revision ?? revision;
      return { revision, appended: mine, companions: companions[i]! };
    });
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
      if (outcomes.every((o) => "decision" in o && o.decision.events.length > 0)) return { ...guessed, outcomes };
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
      const decision = write.decide(state);
      // Provisional records: evolve needs recorded events; positions are filled in after the append.
      for (const e of decision.events) {
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
      return { decision, state };
    } catch (error) {
      return { error };
    }
  });
}

function settle(
  group: readonly PendingWrite[],
  outcomes: readonly Outcome[],
  written: (outcome: { decision: Decision; state: unknown }, index: number) => { revision: number; appended: RecordedEvent[]; companions: AppendResult[] },
): void {
  group.forEach((write, i) => {
    const outcome = outcomes[i]!;
    if ("error" in outcome) write.reject(outcome.error);
    else write.resolve({ state: outcome.state, ...written(outcome, i) });
  });
}

/** The write whose companion entry conflicted; undefined when the hot stream itself did (re-read and retry). */
function companionOwner(error: WrongExpectedRevision, entries: readonly { streamId: string }[], owners: readonly EntryOwner[]): number | undefined {
  const index = error.entryIndex;
  const k = index !== undefined && entries[index]?.streamId === error.streamId ? index : entries.findIndex((e) => e.streamId === error.streamId);
  const owner = owners[k];
  return owner && owner.companion !== null ? owner.write : undefined;
}

/** A plain append's result cut into the per-write entries it carried. */
function splitResult(entries: readonly { events: readonly NewEvent[] }[], result: AppendResult): AppendResult[] {
  let offset = 0;
  let revision = result.nextRevision - entries.reduce((n, e) => n + e.events.length, 0);
  return entries.map((entry) => {
    const positions = result.positions.slice(offset, offset + entry.events.length);
    offset += entry.events.length;
    revision += entry.events.length;
    return { nextRevision: revision, positions, checkpoint: { transactionId: result.checkpoint.transactionId, position: positions.at(-1) ?? result.checkpoint.position } };
  });
}
