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
 * before the COPY returned and gives back a maker of chunks; each chunk goes to the socket as soon
 * as it is made, so the server parses and inserts chunk k while chunk k+1 is made. If `copyData`
 * or the maker throws, the COPY is failed, the server runs nothing after it, and the promise
 * rejects with that error. Resolves with every row the script returned, in order.
 */
export function runCopyScript(
  client: pg.PoolClient,
  script: string,
  copyData: (rowsBefore: Row[]) => () => string | undefined,
): Promise<Row[]> {
  return new Promise<Row[]>((resolve, reject) => {
    const rows: Row[] = [];
    let clientError: unknown;
    let settled = false;
    const settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve(rows);
      else reject(error);
    };
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
            connection.sendCopyFromChunk(Buffer.from(chunk, "utf8"));
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
    client.query(query as unknown as pg.QueryConfig);
  });
}
