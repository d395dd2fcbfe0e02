import { CompiledQuery, type Kysely } from "kysely";
import type { RecordedEvent } from "./event-store.js";

/** A row's fields as PostgreSQL prints them (text format); null for SQL NULL. */
export type TextFields = ReadonlyArray<string | null>;

/**
 * Runs `text` (one statement, no parameters: the simple query protocol) on one pooled connection
 * and turns each row into a value as its DataRow message arrives: no row object of pg's and no
 * field parser, and a row's texts are garbage once `decode` has made its value, instead of living
 * with every other row of the answer until the last has come (a batch of 10,000 events is tens of
 * MB that each young-generation GC would otherwise copy). Resolves with the values in row order.
 *
 * Through kysely's connection as `copyScriptQuery` goes: pg runs an object with a `submit` method
 * as its own protocol handler. A pipelining pool refuses such objects (`PipelineRefused`).
 */
export async function streamedRows<T>(db: Kysely<any>, text: string, decode: (fields: TextFields) => T): Promise<T[]> {
  const query = new StreamedQuery(text, decode);
  await db.connection().execute(async (connection) => {
    // kysely returns at once (pg gives the object back, not a promise); `done` settles once the
    // server has answered all of it, so the connection goes back to the pool only then.
    await Promise.all([connection.executeQuery(CompiledQuery.raw(query as unknown as string)), query.done]);
  });
  return query.values;
}

/** What a pipelining pg client answers a custom query object with. */
export function isPipelineRefusal(error: unknown): boolean {
  return error instanceof Error && /not supported in pipeline mode/.test(error.message);
}

/** pg's "submittable" protocol: the client calls whichever handler the server's next message needs. */
class StreamedQuery<T> {
  readonly values: T[] = [];
  readonly done: Promise<void>;
  private settle!: (error: unknown) => void;
  private failure: { error: unknown } | undefined;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly decode: (fields: TextFields) => T,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => {
        if (this.settled) return;
        this.settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleDataRow(message: { fields: TextFields }): void {
    if (this.failure) return;
    try {
      this.values.push(this.decode(message.fields));
    } catch (error) {
      // Thrown here it would break pg's message loop; the rest of the answer is read and dropped.
      this.failure = { error };
    }
  }

  /**
   * A server error (the ReadyForQuery after it comes with no query active) or a lost connection
   * (none comes): either way this query is over.
   */
  handleError(error: unknown): void {
    this.settle(this.failure ? this.failure.error : error);
  }

  handleReadyForQuery(): void {
    this.settle(this.failure?.error);
  }

  handleRowDescription(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail("a streamed read takes no COPY data");
  }
  handleCopyData(): void {}
}

/**
 * An event from the text fields of `READ_COLUMNS`: position, transaction id, stream, revision,
 * type, data and metadata JSON, recorded time in whole milliseconds since 1970.
 */
export function eventOf(f: TextFields): RecordedEvent {
  return {
    position: BigInt(f[0] as string),
    transactionId: BigInt(f[1] as string),
    streamId: f[2] as string,
    revision: Number(f[3]),
    type: f[4] as string,
    data: JSON.parse(f[5] as string),
    metadata: JSON.parse(f[6] as string) as Record<string, unknown>,
    recordedAt: new Date(Number(f[7])),
  };
}
