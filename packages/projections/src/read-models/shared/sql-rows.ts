import { copyJson, copyLines, copyScriptQuery, copyText } from "@aidtrail/event-store";
import { CompiledQuery, type Transaction, sql } from "kysely";
import { appendsByCopy, insertsByCopy } from "../../runtime/bulk-load.js";
import { presumedNew } from "./batch-state.js";

/** Column name → PostgreSQL type, as `unnest` needs it to read the rows back. */
export type ColumnTypes = Readonly<Record<string, string>>;

export interface UpsertOptions {
  /** Conflict target; a row whose key exists is skipped when `set` is empty. */
  key: readonly string[];
  /**
   * On conflict, column → SQL expression (constants of the code, never input), e.g.
   * `{ paid_fen: "balances.paid_fen + excluded.paid_fen" }`; "all" overwrites every non-key column.
   */
  set: Readonly<Record<string, string>> | "all";
}

/**
 * Writes any number of rows in one statement: each column travels as one array parameter and
 * the rows are zipped back by `unnest`, so a batch costs one round trip, not one per row, and
 * PostgreSQL parses plain arrays rather than a JSON document (several times cheaper for wide
 * rows). Rows must have distinct keys (fold the batch first). Values of json/jsonb columns are
 * sent as their JSON text; JSON null and a missing value are SQL NULL, as in `jsonb_to_recordset`.
 */
export async function upsertRows(
  trx: Transaction<any>,
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  options: UpsertOptions,
): Promise<void> {
  if (rows.length === 0) return;
  const appendOnly = options.set !== "all" && Object.keys(options.set).length === 0;
  if (appendOnly && appendsByCopy(trx, table)) return copyRows(trx, table, columns, rows);
  let upserted = rows;
  if (insertsByCopy(trx)) {
    // A rebuild: rows presumed new go in by COPY; if one of them exists after all, the COPY is
    // undone and they are upserted with the rest, so the table ends the same either way.
    const presumed = presumedNew(rows);
    const fresh = presumed ? rows.filter((_, i) => presumed[i]) : [];
    if (fresh.length > 0 && (await copyNewRows(trx, table, columns, fresh))) upserted = rows.filter((_, i) => !presumed![i]);
  }
  await upsertStatement(trx, table, columns, upserted, options);
}

async function upsertStatement(trx: Transaction<any>, table: string, columns: ColumnTypes, rows: readonly object[], options: UpsertOptions): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const list = sql.join(names.map((n) => sql.id(n)));
  const arrays = names.map((n) => {
    if (columns[n] === "jsonb" || columns[n] === "json") return jsonColumn(rows, n, columns[n]);
    let literal = "{";
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as Record<string, unknown>)[n];
      if (i > 0) literal += ",";
      literal += v === undefined || v === null ? "NULL" : arrayElement(v);
    }
    return sql`${`${literal}}`}::${sql.raw(`${columns[n]}[]`)}`;
  });
  const set =
    options.set === "all"
      ? Object.fromEntries(names.filter((n) => !options.key.includes(n)).map((n) => [n, `excluded."${n}"`]))
      : options.set;
  const assignments = Object.entries(set).map(([column, expression]) => sql`${sql.id(column)} = ${sql.raw(expression)}`);
  // "Do nothing" names no conflict target (every table's only unique index is its key), so it
  // also works while a rebuild loads an append-only table before building its key.
  const onConflict =
    assignments.length === 0
      ? sql`on conflict do nothing`
      : sql`on conflict (${sql.join(options.key.map((k) => sql.id(k)))}) do update set ${sql.join(assignments)}`;
  await sql`
    insert into ${sql.id(table)} (${list})
    select ${list} from unnest(${sql.join(arrays)}) as r(${list})
    ${onConflict}`.execute(trx);
}

/**
 * A json/jsonb column as one JSON array document, unpacked in order into an array: PostgreSQL
 * parses each value once (as an array literal element it would be unescaped, then parsed), and
 * this process stringifies the column once instead of escaping every value's quotes. JSON null
 * and a missing value are SQL NULL. A json column's elements keep their text as this process
 * printed it (json_array_elements returns them verbatim), exactly what COPY writes for them.
 */
function jsonColumn(rows: readonly object[], name: string, type: "json" | "jsonb") {
  const values = rows.map((r) => (r as Record<string, unknown>)[name] ?? null);
  const document = JSON.stringify(values);
  if (type === "json") {
    return sql`array(select case when json_typeof(e) = 'null' then null else e end from json_array_elements(${document}::json) with ordinality as j(e, i) order by i)`;
  }
  return sql`array(select nullif(e, 'null'::jsonb) from jsonb_array_elements(${document}::jsonb) with ordinality as j(e, i) order by i)`;
}

/**
 * Appends rows with one `COPY … FROM STDIN` (text format) in `trx`: no parameters to bind or
 * arrays to unpack, the cheapest way in for PostgreSQL. Values are written as `upsertRows` sends
 * them (json/jsonb as their JSON text, JSON null and a missing value as NULL).
 */
export async function copyRows(trx: Transaction<any>, table: string, columns: ColumnTypes, rows: readonly object[]): Promise<void> {
  await runCopy(trx, (copy) => copy, table, columns, rows);
}

/**
 * COPYs `rows` in under a savepoint, in one round trip; false (and nothing written) when one of
 * their keys is already in the table.
 */
async function copyNewRows(trx: Transaction<any>, table: string, columns: ColumnTypes, rows: readonly object[]): Promise<boolean> {
  try {
    await runCopy(trx, (copy) => `savepoint presumed_new; ${copy}; release savepoint presumed_new`, table, columns, rows);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await sql`rollback to savepoint presumed_new`.execute(trx);
    return false;
  }
}

const UNIQUE_VIOLATION = "23505";

async function runCopy(trx: Transaction<any>, script: (copy: string) => string, table: string, columns: ColumnTypes, rows: readonly object[]): Promise<void> {
  const names = Object.keys(columns);
  const json = names.map((n) => columns[n] === "json" || columns[n] === "jsonb");
  let next = 0;
  const copy = `copy ${quoteId(table)} (${names.map(quoteId).join(", ")}) from stdin`;
  const { query, done } = copyScriptQuery(script(copy), () =>
    copyLines(() => {
      if (next >= rows.length) return undefined;
      const row = rows[next++] as Record<string, unknown>;
      let line = "";
      for (let c = 0; c < names.length; c++) {
        const v = row[names[c]!];
        if (c > 0) line += "\t";
        line += v === undefined || v === null ? "\\N" : json[c] ? copyJson(JSON.stringify(v)) : copyField(v);
      }
      return line;
    }),
  );
  // kysely hands a compiled query's text to pg's client.query as it is, and pg runs an object with
  // a `submit` method as its own protocol handler (here COPY's) after the statements before it.
  // kysely returns at once (the object is no promise); `done` settles when the script has ended.
  await Promise.all([trx.executeQuery(CompiledQuery.raw(query as unknown as string)), done]);
}

function copyField(v: unknown): string {
  if (typeof v === "number") return String(v);
  return copyText(typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v));
}

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const NEEDS_ESCAPE = /[\\"]/;

/** One element of an array literal: quoted, `"` and `\` escaped (pg's own encoder, minus its per-element cost). */
function arrayElement(v: unknown): string {
  if (typeof v === "number") return String(v);
  const text = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  return `"${NEEDS_ESCAPE.test(text) ? text.replace(/[\\"]/g, "\\$&") : text}"`;
}

/**
 * Rows of `table` whose text `key` is one of `ids`, in one query. Rows come as JSON (dates as
 * "YYYY-MM-DD", bigints as numbers) so they can be changed and written back by `upsertRows`
 * unchanged, without the driver turning dates into local-time `Date`s.
 */
export async function selectByKeys<Row>(trx: Transaction<any>, table: string, key: string, ids: Iterable<string>): Promise<Row[]> {
  const list = [...new Set(ids)];
  if (list.length === 0) return [];
  const { rows } = await sql<{ r: Row }>`
    select row_to_json(t) as r from ${sql.id(table)} t where ${sql.id(key)} = any(${list}::text[])`.execute(trx);
  return rows.map((x) => x.r);
}

/** Deletes the rows whose text `key` is one of `ids`, in one statement. */
export async function deleteByKeys(trx: Transaction<any>, table: string, key: string, ids: Iterable<string>): Promise<void> {
  const list = [...new Set(ids)];
  if (list.length === 0) return;
  await sql`delete from ${sql.id(table)} where ${sql.id(key)} = any(${list}::text[])`.execute(trx);
}
