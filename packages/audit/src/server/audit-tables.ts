import { type Transaction, sql } from "kysely";

/** Projection name of the sealer; its tables live in schema `rm_audit`. */
export const AUDIT_PROJECTION = "audit";
/** The live schema of the sealer (where proofs are served from). */
export const AUDIT_SCHEMA = "rm_audit";
/** Signed checkpoints live in the public schema: a rebuild of rm_audit must never drop a signed statement. */
export const CHECKPOINTS_TABLE = "audit_checkpoints";

/**
 * DDL of the sealer's tables, run by the projector runtime with search_path set to
 * the schema being created (live or rebuild), so names are unqualified.
 */
export async function createAuditTables(trx: Transaction<any>): Promise<void> {
  // Tiles of 256 hashes (height 8); a partial tile is rewritten as it grows.
  await sql`
    create table audit_tiles (
      level smallint not null,
      idx bigint not null,
      hashes bytea not null,
      primary key (level, idx)
    )`.execute(trx);
  // position → leaf: what `?position=` proofs and receipts look up. No index on leaf_index:
  // a second index per row is write cost on the sealer's hot path, and leaf → position is only read by
  // `aidtrail verify` to name a mismatch (one scan, once).
  await sql`
    create table audit_leaves (
      position bigint primary key,
      leaf_index bigint not null
    )`.execute(trx);
  // The sealed tree size, written with the tiles and the projector checkpoint in one transaction.
  await sql`
    create table audit_tree (
      id int primary key default 1 check (id = 1),
      size bigint not null default 0
    )`.execute(trx);
  await sql`insert into audit_tree default values`.execute(trx);
}
