import { compareCheckpoints, type EventStore, type GlobalCheckpoint, type RecordedEvent, START } from "@aidtrail/event-store";
import { type Kysely, sql, type Transaction } from "kysely";
import {
  advanceUntouched,
  type BatchSpan,
  ensureProjectionSchema,
  markFailed,
  openApply,
  openApplyOrFail,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint-store.js";
import { withLazyTransaction } from "./lazy-transaction.js";
import { localCommits } from "./local-commits.js";
import { type Lease, LeaseLost } from "./lease.js";
import { liveSchema, type Projection } from "./projection.js";
import { Slots } from "./slots.js";

export interface ProjectorLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ProjectorOptions {
  db: Kysely<any>;
  store: EventStore;
  projections: readonly Projection[];
  lease: Lease;
  /** Which schema each projection writes: live by default, the rebuild schema when rebuilding. */
  schemaOf?: (projection: Projection) => string;
  batchSize?: number;
  log?: ProjectorLog;
  /** Called after each committed batch with the lowest checkpoint of the running projections. */
  onCommitted?: (checkpoint: GlobalCheckpoint, applied: number) => void;
  /**
   * Live batches commit without waiting for the WAL flush (read models: a crash can lose a
   * projection's last batch together with its checkpoint, which is then applied again from the
   * log). Off by default: a projector whose writes must be durable once applied keeps it off.
   */
  asyncCommit?: boolean;
  /** Projections a live batch applies at once, each in a transaction (and connection) of its own; 3 by default. */
  parallelism?: number;
  /** True when `db`'s connections pipeline (pg's `pipeline` mode): a live batch's writes then go out without waiting. */
  pipelined?: boolean;
  /** Called when a projection stops on a poison event. */
  onFailed?: (projection: string, position: bigint, error: string) => void;
  /** While a projection is stopped, how often to read again whether an operator resumed it (`resumeStopped`); 5 s. */
  recheckStoppedMs?: number;
}

export interface BatchOutcome {
  /** Events applied, summed over projections. */
  applied: number;
  /** The point the batch read after (the lowest running checkpoint). */
  after: GlobalCheckpoint;
  /** True when the log had nothing after `after`. */
  caughtUp: boolean;
  /** True when no projection runs (each stopped on a poison event): there is nothing to wait for. */
  stopped?: boolean;
}

const silent: ProjectorLog = { info() {}, warn() {}, error() {} };

/**
 * Applies the global log to a set of projections. Each batch is read once and applied to
 * each projection in a transaction of its own together with its checkpoint, so a batch is
 * applied to a projection exactly once or not at all, and a projection that throws stops alone.
 */
export class Projector {
  private readonly log: ProjectorLog;
  private readonly schemaOf: (p: Projection) => string;
  private prepared = false;
  private standing: Map<Projection, GlobalCheckpoint> | undefined;
  /** `performance.now()` when `standing` was read from the database. */
  private standingReadAt = 0;
  /** How long each projection's last live batch took: the order of the next batch's applies. */
  private readonly lastApplyMs = new Map<Projection, number>();

  constructor(private readonly options: ProjectorOptions) {
    this.log = options.log ?? silent;
    this.schemaOf = options.schemaOf ?? ((p) => liveSchema(p.name));
  }

  get projections(): readonly Projection[] {
    return this.options.projections;
  }

  async prepare(): Promise<void> {
    if (this.prepared) return;
    for (const p of this.options.projections) await ensureProjectionSchema(this.options.db, this.schemaOf(p), p);
    this.prepared = true;
  }

  /**
   * Reads and applies one batch; the caller must hold the lease. Each projection applies it in
   * a transaction of its own with its checkpoint, 3 at a time, as a rebuild does: a live batch
   * costs a few round trips per projection (no savepoints, no separate checkpoint reads).
   */
  async runOnce(): Promise<BatchOutcome> {
    await this.prepare();
    const { db, store, lease } = this.options;
    let batch = false;
    try {
      // Where each projection stands, as its last apply transaction found it; read from the
      // database once, and again after a failure (the lease may have changed hands meanwhile).
      // While one is stopped, read again now and then: it may have been resumed (resumeStopped).
      const stopped = this.standing !== undefined && this.standing.size < this.options.projections.length;
      if (stopped && performance.now() - this.standingReadAt >= (this.options.recheckStoppedMs ?? 5_000)) this.standing = undefined;
      if (this.standing === undefined) {
        this.standing = await this.readStanding();
        this.standingReadAt = performance.now();
      }
      const after = lowest([...this.standing.values()]);
      if (!after) return { applied: 0, after: START, caughtUp: true, stopped: true };
      const events = await store.readAll({ after, limit: this.options.batchSize ?? 1000 });
      if (events.length === 0) return { applied: 0, after, caughtUp: true };
      batch = true;
      if (!(await lease.renewIfDue(db))) throw new LeaseLost(`lease ${lease.name} is no longer held by ${lease.owner}`);
      // Slowest first (by each one's last live batch): the slowest starting last would hold the batch up.
      const running = [...this.standing.keys()].sort((a, b) => (this.lastApplyMs.get(b) ?? 0) - (this.lastApplyMs.get(a) ?? 0));
      const standing = this.standing;
      let applied = 0;
      const record = (projection: Projection, done: { applied: number; reached: GlobalCheckpoint | undefined }) => {
        applied += done.applied;
        if (done.reached === undefined) standing.delete(projection);
        else standing.set(projection, done.reached);
      };
      const untouched: Projection[] = [];
      const slots = new Slots(this.options.parallelism ?? 3);
      const outcomes = await Promise.allSettled(
        running.map((projection) =>
          slots.run(async () => {
            const started = performance.now();
            const done = await this.applyLive(projection, events, after);
            this.lastApplyMs.set(projection, performance.now() - started);
            if (done === "untouched") untouched.push(projection);
            else record(projection, done);
          }),
        ),
      );
      // Every projection's transaction has ended before a failure is reported.
      const failed = outcomes.find((o) => o.status === "rejected");
      if (failed) throw failed.reason;
      for (const [projection, done] of await this.advanceUntouched(untouched, events, after)) record(projection, done);
      const reached = lowest([...standing.values()]);
      if (reached) this.options.onCommitted?.(reached, applied);
      return { applied, after, caughtUp: false };
    } catch (error) {
      this.standing = undefined;
      throw error;
    } finally {
      // Only a batch that ran transactions: loops that found nothing must not wake each other in turn.
      if (batch) localCommits.notify();
    }
  }

  /**
   * The usual live batch for one projection: applied in a transaction that begins at the apply's
   * first statement, opened by a statement that moves the checkpoint over the whole batch and
   * fails the transaction unless the lease is held and the batch is due (`openApplyOrFail`); the
   * apply's writes and the commit follow without waiting (`withLazyTransaction`). "untouched" when
   * the apply issued no statement: nothing to commit, the checkpoint moves with the other
   * untouched projections' in one statement. Anything unusual (a lease lost, the batch not due as
   * remembered, a failing apply) is sorted out by `applyOne`.
   */
  private async applyLive(
    projection: Projection,
    events: readonly RecordedEvent[],
    readAfter: GlobalCheckpoint,
  ): Promise<{ applied: number; reached: GlobalCheckpoint | undefined } | "untouched"> {
    const { db, lease } = this.options;
    const asyncCommit = this.options.asyncCommit === true;
    // runOnce applies only non-empty batches.
    const span = spanOf(events, readAfter)!;
    const opening = openApplyOrFail(this.schemaOf(projection), lease.heldCondition(), asyncCommit, span).compile(db);
    try {
      const { committed } = await withLazyTransaction(db, opening, (trx) => projection.applyBatch(trx, events), {
        pipelined: this.options.pipelined === true,
      });
      return committed ? { applied: events.length, reached: span.last } : "untouched";
    } catch {
      return this.applyOne(projection, events, { asyncCommit, readAfter });
    }
  }

  /** Moves the untouched projections' checkpoints over the batch in one statement; any it cannot move go through `applyOne`. */
  private async advanceUntouched(
    untouched: readonly Projection[],
    events: readonly RecordedEvent[],
    readAfter: GlobalCheckpoint,
  ): Promise<Array<[Projection, { applied: number; reached: GlobalCheckpoint | undefined }]>> {
    const span = spanOf(events, readAfter);
    if (untouched.length === 0 || !span) return [];
    const { db, lease } = this.options;
    const asyncCommit = this.options.asyncCommit === true;
    // In the order of `projections`, as every other statement that locks several checkpoints.
    const ordered = this.options.projections.filter((p) => untouched.includes(p));
    const { held, moved } = await advanceUntouched(db, ordered.map((p) => this.schemaOf(p)), lease.heldCondition(), asyncCommit, span);
    if (!held) throw new LeaseLost(`lease ${lease.name} is no longer held by ${lease.owner}`);
    const done: Array<[Projection, { applied: number; reached: GlobalCheckpoint | undefined }]> = [];
    for (const [i, projection] of ordered.entries()) {
      done.push([projection, moved[i] ? { applied: events.length, reached: span.last } : await this.applyOne(projection, events, { asyncCommit, readAfter })]);
    }
    return done;
  }

  private async readStanding(): Promise<Map<Projection, GlobalCheckpoint>> {
    const { db, projections } = this.options;
    const states = await Promise.all(projections.map((p) => readCheckpoint(db, this.schemaOf(p))));
    return new Map(projections.flatMap((p, i) => (states[i]!.status === "running" ? [[p, states[i]!.checkpoint] as const] : [])));
  }

  /**
   * A batch already read, to one projection, in one transaction with its checkpoint; `reached` is
   * undefined when the projection has stopped. With `asyncCommit` the transaction commits without
   * waiting for the WAL flush: a crash can lose it, its checkpoint with it, so those events are
   * applied again — never twice. The batch is
   * tried whole first, in as few round trips as possible (no savepoint); only if that transaction
   * fails is it applied again under savepoints to isolate a poison event.
   */
  async applyOne(
    projection: Projection,
    events: readonly RecordedEvent[],
    options: { asyncCommit?: boolean; readAfter?: GlobalCheckpoint } = {},
  ): Promise<{ applied: number; reached: GlobalCheckpoint | undefined }> {
    await this.prepare();
    const { db, lease } = this.options;
    const asyncCommit = options.asyncCommit === true;
    // The events this projection has not applied, or none while its checkpoint is behind the
    // point the batch was read after (a rebuild swapped in meanwhile): the next read starts there.
    const pending = (checkpoint: GlobalCheckpoint) =>
      options.readAfter && compareCheckpoints(checkpoint, options.readAfter) < 0 ? [] : pastCheckpoint(events, checkpoint);
    const schema = this.schemaOf(projection);
    const whole = await db
      .transaction()
      .execute(async (trx) => {
        // The usual batch is due whole: the first statement already moves the checkpoint past it.
        const { held, advanced, state } = await openApply(trx, schema, lease.heldCondition(), asyncCommit, spanOf(events, options.readAfter));
        if (!held) throw new LeaseLost(`lease ${lease.name} is no longer held by ${lease.owner}`);
        if (state.status !== "running") return { applied: 0, reached: undefined };
        const mine = advanced ? events : pending(state.checkpoint);
        const last = mine[mine.length - 1];
        if (!last) return { applied: 0, reached: state.checkpoint };
        await projection.applyBatch(trx, mine);
        if (!advanced) await writeCheckpoint(trx, schema, last, mine.length);
        return { applied: mine.length, reached: last };
      })
      .catch((error: unknown) => {
        if (error instanceof LeaseLost) throw error;
        // Said aloud: a batch that fails whole but whose events all apply one by one is a fold bug
        // (or a passing fault) that the event-by-event path below would otherwise hide.
        this.log.warn(
          { projection: projection.name, events: events.length, error: (error as Error)?.message ?? String(error) },
          "batch failed as a whole: applying it event by event to find a poison event",
        );
        return "failed" as const;
      });
    if (whole !== "failed") return whole;
    // Rolled back as a whole: the checkpoint read again below says what is still to apply.
    return db.transaction().execute(async (trx) => {
      if (asyncCommit) await sql`set local synchronous_commit = off`.execute(trx);
      if (!(await lease.checkWithin(trx))) throw new LeaseLost(`lease ${lease.name} is no longer held by ${lease.owner}`);
      const state = await readCheckpoint(trx, schema, true);
      if (state.status !== "running") return { applied: 0, reached: undefined };
      const mine = pending(state.checkpoint);
      if (mine.length === 0) return { applied: 0, reached: state.checkpoint };
      const done = await this.applyGuarded(trx, projection, schema, mine);
      // A projection that stopped on a poison event in this batch is no longer running.
      return { applied: done.applied, reached: done.applied === mine.length ? done.reached : undefined };
    });
  }

  /** Applies with a savepoint; on failure finds the first event that fails alone and stops there. */
  private async applyGuarded(
    trx: Transaction<any>,
    projection: Projection,
    schema: string,
    events: readonly RecordedEvent[],
  ): Promise<{ applied: number; reached: GlobalCheckpoint }> {
    const last = events[events.length - 1]!;
    if (await this.tryApply(trx, projection, schema, events)) {
      await writeCheckpoint(trx, schema, last, events.length);
      return { applied: events.length, reached: last };
    }
    // Isolate the poison event: everything before it is applied, it and what follows are not.
    let applied = 0;
    let reached: GlobalCheckpoint = (await readCheckpoint(trx, schema)).checkpoint;
    for (const event of events) {
      const error = await this.tryApplyCapturing(trx, projection, schema, [event]);
      if (error === undefined) {
        applied++;
        reached = event;
        continue;
      }
      const retry = await this.tryApplyCapturing(trx, projection, schema, [event]);
      if (retry === undefined) {
        applied++;
        reached = event;
        continue;
      }
      if (applied > 0) await writeCheckpoint(trx, schema, reached, applied);
      const message = `${event.type} at position ${event.position} (stream ${event.streamId}): ${retry}`;
      await markFailed(trx, schema, event.position, message);
      this.log.error({ projection: projection.name, position: event.position.toString(), error: retry }, "projection stopped on an event it cannot apply");
      this.options.onFailed?.(projection.name, event.position, message);
      return { applied, reached };
    }
    await writeCheckpoint(trx, schema, last, applied);
    return { applied, reached: last };
  }

  private async tryApply(trx: Transaction<any>, p: Projection, schema: string, events: readonly RecordedEvent[]) {
    return (await this.tryApplyCapturing(trx, p, schema, events)) === undefined;
  }

  private async tryApplyCapturing(
    trx: Transaction<any>,
    projection: Projection,
    schema: string,
    events: readonly RecordedEvent[],
  ): Promise<string | undefined> {
    await sql`savepoint projection_apply`.execute(trx);
    try {
      await sql`select set_config('search_path', ${schema}, true)`.execute(trx);
      await projection.applyBatch(trx, events);
      await sql`select set_config('search_path', 'public', true)`.execute(trx);
      await sql`release savepoint projection_apply`.execute(trx);
      return undefined;
    } catch (error) {
      await sql`rollback to savepoint projection_apply`.execute(trx);
      await sql`select set_config('search_path', 'public', true)`.execute(trx);
      return (error as Error)?.message ?? String(error);
    }
  }
}

/** The span of a non-empty batch, for `openApply` to move the checkpoint over. */
function spanOf(events: readonly RecordedEvent[], readAfter: GlobalCheckpoint | undefined): BatchSpan | undefined {
  const first = events[0];
  const last = events[events.length - 1];
  return first && last ? { first, last, count: events.length, readAfter } : undefined;
}

/** The events of a batch (in log order) past `checkpoint`: usually all of them, without a copy. */
function pastCheckpoint(events: readonly RecordedEvent[], checkpoint: GlobalCheckpoint): readonly RecordedEvent[] {
  const first = events[0];
  if (first === undefined || compareCheckpoints(first, checkpoint) > 0) return events;
  return events.filter((e) => compareCheckpoints(e, checkpoint) > 0);
}

function lowest(checkpoints: readonly GlobalCheckpoint[]): GlobalCheckpoint | undefined {
  let min: GlobalCheckpoint | undefined;
  for (const c of checkpoints) if (!min || compareCheckpoints(c, min) < 0) min = c;
  return min;
}
