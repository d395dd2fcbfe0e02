import { type Kysely, sql } from "kysely";

// The sealer's schemas (live, and one being rebuilt) created before this migration.
const SCHEMAS = ["rm_audit", "rm_audit__rebuild"];

/**
 * Tiles keep the hashes above their bottom row (`inner_hashes`), written by the sealer, so an
 * inclusion proof is one query reading 32-byte slices. Tiles sealed before stay without
 * them (null): proofs that touch them compute those hashes from the row, as before.
 * The sealer creates its tables itself in a fresh schema; existing schemas get the column here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const schema of SCHEMAS) {
    if (!(await hasTable(db, schema, "audit_tiles"))) continue;
    const tiles = sql.id(schema, "audit_tiles");
    await sql`alter table ${tiles} add column if not exists inner_hashes bytea`.execute(db);
    await sql`alter table ${tiles} alter column hashes set storage external, alter column inner_hashes set storage external`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const schema of SCHEMAS) {
    if (!(await hasTable(db, schema, "audit_tiles"))) continue;
    const tiles = sql.id(schema, "audit_tiles");
    await sql`alter table ${tiles} drop column if exists inner_hashes`.execute(db);
    await sql`alter table ${tiles} alter column hashes set storage extended`.execute(db);
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
