import {
  type CompiledQuery,
  type ControlledTransaction,
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
 * Runs `work` in a transaction that begins at its first statement: `work` gets a kysely
 * Transaction whose first query begins a real one on `db` and runs `onBegin` in it before itself.
 * Work that issues no statement (a read model with nothing to do in a batch) costs no round trip,
 * and what `work` computes before its first statement is not done inside the transaction.
 * `begun` says whether a transaction was committed; if `work` or the commit throws, a begun
 * transaction is rolled back and the error rethrown.
 */
export async function withLazyTransaction<T>(
  db: Kysely<any>,
  onBegin: (trx: Transaction<any>) => Promise<void>,
  work: (trx: Transaction<any>) => Promise<T>,
): Promise<{ value: T; begun: boolean }> {
  const connection = new LazyConnection(db, onBegin);
  const lazy = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new LazyDriver(connection),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const value = await lazy.transaction().execute(work);
  return { value, begun: connection.begun };
}

class LazyConnection implements DatabaseConnection {
  private real: Promise<ControlledTransaction<any>> | undefined;
  begun = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly onBegin: (trx: Transaction<any>) => Promise<void>,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.real ??= this.begin();
    return (await this.real).executeQuery<R>(query);
  }

  streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error("a lazy transaction does not stream");
  }

  /** Commits or rolls back the real transaction, if one began; later calls do nothing. */
  async end(how: "commit" | "rollback"): Promise<void> {
    const real = this.real;
    this.real = undefined;
    // A transaction whose begin failed was rolled back there.
    const trx = await real?.catch(() => undefined);
    if (!trx) return;
    if (how === "rollback") return void (await trx.rollback().execute());
    try {
      await trx.commit().execute();
      this.begun = true;
    } catch (error) {
      // Releases the connection whatever state the commit left it in.
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
  }

  private async begin(): Promise<ControlledTransaction<any>> {
    const trx = await this.db.startTransaction().execute();
    try {
      await this.onBegin(trx);
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
    return trx;
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
