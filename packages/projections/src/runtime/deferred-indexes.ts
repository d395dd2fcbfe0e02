import { type Kysely, sql } from "kysely";

/**
 * Drops the indexes (primary key included) of `tables` in `schema` and returns the DDL that
 * builds them again. A rebuild loads append-only tables this way: maintaining a B-tree row by
 * row, in the log's order, costs PostgreSQL about as much as the insert itself, while building
 * it once from the loaded table is a sort. Building the key again also checks it: a duplicate
 * fails the rebuild instead of being swapped in.
 */
export async function dropIndexes(db: Kysely<any>, schema: string, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const { rows } = await sql<{ ddl: string; drop: string }>`
    select case when c.oid is not null
             then format('alter table %I.%I add constraint %I %s', n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid))
             else pg_get_indexdef(i.indexrelid) end as ddl,
           case when c.oid is not null
             then format('alter table %I.%I drop constraint %I', n.nspname, t.relname, c.conname)
             else format('drop index %I.%I', n.nspname, x.relname) end as drop
    from pg_index i
    join pg_class x on x.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = t.oid
    where n.nspname = ${schema} and t.relname = any(${[...tables]}::text[])
    order by t.relname, x.relname`.execute(db);
  for (const r of rows) await sql.raw(r.drop).execute(db);
  return rows.map((r) => r.ddl);
}

/** Runs the DDL `dropIndexes` returned. */
export async function buildIndexes(db: Kysely<any>, ddl: readonly string[]): Promise<void> {
  for (const statement of ddl) await sql.raw(statement).execute(db);
}
