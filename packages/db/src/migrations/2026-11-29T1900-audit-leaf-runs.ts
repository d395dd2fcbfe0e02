import { type Kysely, sql } from "kysely";

// The sealer's schemas (live, and one being rebuilt) created before this migration.
const SCHEMAS = ["rm_audit", "rm_audit__rebuild"];

/**
 * The sealer's position → leaf map becomes one row per run of leaves with consecutive
 * positions (`audit_leaf_runs`) instead of a row per event; `audit_leaves` stays as a view.
 * The sealer creates its tables itself in a fresh schema, so only existing schemas that still
 * have the per-event table are converted here, in place, keeping every sealed leaf.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const schema of SCHEMAS) {
    if (!(await hasTable(db, schema, "audit_leaves"))) continue;
    const runs = sql.id(schema, "audit_leaf_runs");
    const leaves = sql.id(schema, "audit_leaves");
    await sql`
      create table ${runs} (
        first_position bigint primary key,
        first_leaf bigint not null unique,
        leaves int not null check (leaves > 0)
      )`.execute(db);
    // Islands: leaves in a row whose positions go up by one share position − leaf_index, and
    // within that, leaf_index − row_number() tells consecutive stretches apart.
    await sql`
      insert into ${runs} (first_position, first_leaf, leaves)
      select min(position), min(leaf_index), count(*)
      from (
        select position, leaf_index, position - leaf_index as shift,
               leaf_index - row_number() over (partition by position - leaf_index order by leaf_index) as island
        from ${leaves}
      ) l
      group by shift, island`.execute(db);
    await sql`drop table ${leaves}`.execute(db);
    await sql`
      create view ${leaves} as
        select r.first_position + i as position, r.first_leaf + i as leaf_index
        from ${runs} r cross join generate_series(0, r.leaves - 1) as i`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const schema of SCHEMAS) {
    if (!(await hasTable(db, schema, "audit_leaf_runs"))) continue;
    const runs = sql.id(schema, "audit_leaf_runs");
    const leaves = sql.id(schema, "audit_leaves");
    await sql`drop view if exists ${leaves}`.execute(db);
    await sql`create table ${leaves} (position bigint primary key, leaf_index bigint not null)`.execute(db);
    await sql`
      insert into ${leaves} (position, leaf_index)
      select r.first_position + i, r.first_leaf + i from ${runs} r cross join generate_series(0, r.leaves - 1) as i`.execute(db);
    await sql`drop table ${runs}`.execute(db);
  }
}

async function hasTable(db: Kysely<any>, schema: string, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (
      select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relname = ${table} and c.relkind = 'r'
    ) as found`.execute(db);
  return rows[0]?.found === true;
}
