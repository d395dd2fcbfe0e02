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
 * before the COPY returned and gives back a maker of chunks (text, or its UTF-8 bytes as in
 * the projections' `copyLines`); each chunk goes to the socket as soon as it is made, so the
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
