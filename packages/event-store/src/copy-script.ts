import type pg from "pg";

/** The part of pg's connection a COPY FROM STDIN needs (pg calls a query object with it). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

type Row = Array<string | null>;

/**
 * Runs `script`, statements around one `COPY … FROM STDIN`, as ONE simple query: one round trip
 * for all of it. When the server asks for the COPY data, `copyData` gets the rows the statements
 * before the COPY returned and gives back a maker of chunks (text, or its UTF-8 bytes as
 * `copyLines` makes them); each chunk goes to the socket as soon as it is made, so the
 * server parses and inserts chunk k while chunk k+1 is made. If `copyData` or the maker throws,
 * the COPY is failed, the server runs nothing after it, and the promise rejects with that error.
 * Resolves with every row the script returned, in order.
 */
export function runCopyScript(
  client: pg.PoolClient,
  script: string,
  copyData: (rowsBefore: Row[]) => () => string | Buffer | undefined,
): Promise<Row[]> {
  const { query, done } = copyScriptQuery(script, copyData);
  client.query(query as unknown as pg.QueryConfig);
  return done;
}

/**
 * `runCopyScript`'s query object, for a caller that hands it to a pg client itself (e.g. through
 * a query builder's connection): `done` settles once the server is ready for the next query.
 */
export function copyScriptQuery(
  script: string,
  copyData: (rowsBefore: Row[]) => () => string | Buffer | undefined,
): { query: object; done: Promise<Row[]> } {
  let settle: (error: unknown) => void = () => {};
  const rows: Row[] = [];
  const done = new Promise<Row[]>((resolve, reject) => {
    let settled = false;
    settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve(rows);
      else reject(error);
    };
  });
  let clientError: unknown;
  // pg's "submittable" protocol: it calls whichever handler the server's next message needs.
  const query = {
    submit(connection: CopyConnection) {
      connection.query(script);
    },
    handleDataRow(message: { fields: Row }) {
      rows.push(message.fields);
    },
    handleCopyInResponse(connection: CopyConnection) {
      try {
        const nextChunk = copyData(rows);
        for (let chunk = nextChunk(); chunk !== undefined; chunk = nextChunk()) {
          connection.sendCopyFromChunk(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
        }
        connection.endCopyFrom();
      } catch (error) {
        clientError = error;
        connection.sendCopyFail("refused by the client");
      }
    },
    handleError(error: Error) {
      settle(clientError ?? error);
    },
    handleReadyForQuery() {
      settle(clientError);
    },
    handleRowDescription() {},
    handleCommandComplete() {},
    handleEmptyQuery() {},
    handlePortalSuspended() {},
    handleCopyData() {},
  };
  return { query, done };
}

/** A text value as a field of COPY's text format, where a backslash starts an escape. */
export function copyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

/** JSON text as a COPY text field: JSON has no raw tab or newline, so only backslashes need escaping. */
export function copyJson(json: string): string {
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Bytes a `copyLines` chunk holds before it is handed over (a longer line gets a chunk of its own). */
const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * A maker of COPY data chunks (as `copyData` gives them) from `nextLine`'s lines, each given
 * without its newline and undefined after the last. Each line is encoded into the chunk as soon as
 * it is made, so no string longer than a line is ever built: a chunk-long string made by `+=` is a
 * rope of thousands of pieces, which V8 must first copy into one string (walking every piece) and
 * then encode: that cost as much as making the text (a rebuild's read-model rows, 1.2-1.3 µs each either way).
 */
export function copyLines(nextLine: () => string | undefined): () => Buffer | undefined {
  let carried: string | undefined;
  return () => {
    let line = carried ?? nextLine();
    carried = undefined;
    if (line === undefined) return undefined;
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
    const chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES, line.length * 3 + 1));
    let end = 0;
    do {
      if (end > 0 && end + line.length * 3 + 1 > COPY_CHUNK_BYTES) {
        carried = line;
        break;
      }
      end += chunk.write(line, end, "utf8");
      chunk[end++] = 0x0a;
      line = nextLine();
    } while (line !== undefined);
    return chunk.subarray(0, end);
  };
}
