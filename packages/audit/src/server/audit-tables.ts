import { sql, type Transaction } from "kysely";

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
  // Tiles of 256 hashes (height 8); a partial tile is rewritten as it grows. `inner_hashes` holds the
  // 255 hashes above the row (tile-inner.ts), so a proof reads hashes instead of computing them.
  // Hashes do not compress: stored uncompressed (external), a proof reads 32-byte slices.
  await sql`
    create table audit_tiles (
      level smallint not null,
      idx bigint not null,
      hashes bytea not null,
      inner_hashes bytea,
      primary key (level, idx)
    )`.execute(trx);
  await sql`alter table audit_tiles alter column hashes set storage external, alter column inner_hashes set storage external`.execute(trx);
  // position → leaf: what `?position=` proofs and receipts look up. One row per run of leaves
  // with consecutive positions (see leaf-runs.ts), not per event: a row and an index entry per
  // event were a large share of the sealer's write cost. first_leaf is unique (a leaf is sealed
  // once) and indexed for leaf → position, which `aidtrail verify` reads to name a mismatch.
  await sql`
    create table audit_leaf_runs (
      first_position bigint primary key,
      first_leaf bigint not null unique,
      leaves int not null check (leaves > 0)
    )`.execute(trx);
  // The per-event view, for ad-hoc SQL and tools that list leaves.
  await sql`
    create view audit_leaves as
      select r.first_position + i as position, r.first_leaf + i as leaf_index
      from audit_leaf_runs r cross join generate_series(0, r.leaves - 1) as i`.execute(trx);
  // The sealed tree size, written with the tiles and the projector checkpoint in one transaction.
  await sql`
    create table audit_tree (
      id int primary key default 1 check (id = 1),
      size bigint not null default 0
    )`.execute(trx);
  await sql`insert into audit_tree default values`.execute(trx);
}
