import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type Transaction,
} from "kysely";

/**
 * Runs `work` in a transaction that begins at its first statement and waits for as few answers
 * as it can, for a read model's live batch:
 *
 * - Work that issues no statement sends nothing at all (`committed` is false).
 * - The first statement goes out right behind `begin` and `opening`, a statement that must raise
 *   unless the transaction may go on (the projector's lease and checkpoint check).
 * - A write without RETURNING (insert, update or delete) is sent without waiting for its answer:
 *   `work` gets no rows and no row count back at once, and its error, like the opening's, fails
 *   the commit. The commit goes out right behind the last write.
 *
 * With `pipelined` (connections in pg's `pipeline` mode), a transaction whose statements are all
 * such writes costs one round trip, however many writes; otherwise each statement is sent once
 * the one before it is answered, in the same order. Either way PostgreSQL fails every statement after a failed
 * one in the transaction and answers the commit with a rollback, so nothing is committed unless
 * every statement succeeded. If `work` or the commit throws, the transaction is rolled back and
 * the first failure rethrown.
 */
export async function withLazyTransaction<T>(
  db: Kysely<any>,
  opening: CompiledQuery,
  work: (trx: Transaction<any>) => Promise<T>,
  options: { pipelined?: boolean } = {},
): Promise<{ value: T; committed: boolean }> {
  const connection = new LazyConnection(db, opening, options.pipelined === true);
  const lazy = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new LazyDriver(connection),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const value = await lazy.transaction().execute(work);
  return { value, committed: connection.committed };
}

/** An insert, update or delete that returns no rows: nothing in its answer but a count and an error. */
function isBlindWrite(query: CompiledQuery): boolean {
  return typeof query.sql === "string" && /^\s*(insert|update|delete)\s/i.test(query.sql) && !/\breturning\b/i.test(query.sql);
}

class LazyConnection implements DatabaseConnection {
  private connection: DatabaseConnection | undefined;
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;
  /** Answers not waited for (begin, the opening, blind writes), in the order sent. */
  private readonly unanswered: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;
  /** The last statement sent, when statements wait for the one before them. */
  private tail: Promise<unknown> = Promise.resolve();
  committed = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly opening: CompiledQuery,
    private readonly pipelined: boolean,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.failure) throw this.failure.error;
    const connection = this.connection ?? (await this.begin());
    const answer = this.send<R>(connection, query);
    if (isBlindWrite(query)) {
      this.notWaitedFor(answer);
      return { rows: [] };
    }
    try {
      return await answer;
    } catch (error) {
      // A statement sent before it may have failed first (this one then failed as "aborted").
      await Promise.all(this.unanswered);
      throw this.firstFailure(error);
    }
  }

  streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error("a lazy transaction does not stream");
  }

  /** Commits or rolls back, if anything was sent; waits for every answer and gives the connection back. */
  async end(how: "commit" | "rollback"): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.connection = undefined;
    try {
      const ended = this.send(connection, CompiledQuery.raw(how));
      await Promise.all(this.unanswered);
      const { rows } = await ended;
      if (how === "rollback") return;
      if (this.failure) throw this.failure.error;
      if ((rows[0] as { command?: string } | undefined)?.command === "ROLLBACK") throw new Error("the transaction was rolled back");
      this.committed = true;
    } finally {
      this.release?.();
      await this.held;
    }
  }

  /** Sends at once on a pipelining connection; otherwise once the statement before is answered (pg queues no more). */
  private send<R>(connection: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pipelined) return connection.executeQuery<R>(query);
    const answer = this.tail.then(() => connection.executeQuery<R>(query));
    this.tail = answer.catch(() => {});
    return answer;
  }

  private firstFailure(otherwise: unknown): unknown {
    return this.failure ? this.failure.error : otherwise;
  }

  private notWaitedFor(answer: Promise<unknown>): void {
    this.unanswered.push(
      answer.then(
        () => {},
        (error: unknown) => {
          this.failure ??= { error };
        },
      ),
    );
  }

  /** Takes a pooled connection for the transaction's lifetime and sends `begin` and the opening on it. */
  private async begin(): Promise<DatabaseConnection> {
    const connection = await new Promise<DatabaseConnection>((resolve, reject) => {
      this.held = this.db
        .getExecutor()
        .provideConnection(async (c) => {
          resolve(c);
          await new Promise<void>((release) => {
            this.release = release;
          });
        })
        .catch(reject);
    });
    this.connection = connection;
    this.notWaitedFor(this.send(connection, CompiledQuery.raw("begin")));
    this.notWaitedFor(this.send(connection, this.opening));
    return connection;
  }
}

/** A driver with one connection that begins nothing itself: the connection begins at its first query. */
class LazyDriver implements Driver {
  constructor(private readonly connection: LazyConnection) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {
    await this.connection.end("commit");
  }
  async rollbackTransaction(): Promise<void> {
    await this.connection.end("rollback");
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}
