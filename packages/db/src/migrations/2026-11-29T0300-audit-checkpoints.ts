import { type Kysely, sql } from "kysely";

/**
 * Signed checkpoints of the audit log. In the public schema, not in rm_audit: a signed
 * note is a statement already given out, and a rebuild of the sealer's tables (which
 * replaces rm_audit) must never drop one. The tree size is the key: one note per size.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_checkpoints (
      tree_size bigint primary key check (tree_size > 0),
      root bytea not null check (length(root) = 32),
      note text not null,
      signed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists audit_checkpoints`.execute(db);
}
