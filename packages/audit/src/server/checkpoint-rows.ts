import { type Kysely, sql } from "kysely";
import { AUDIT_SCHEMA } from "./audit-tables.js";

/** A stored signed checkpoint. */
export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly root: Uint8Array;
  /** The signed note, exactly as signed. */
  readonly note: string;
  readonly signedAt: Date;
}

interface Row {
  tree_size: string;
  root: Buffer;
  note: string;
  signed_at: Date;
}

/** A checkpoint row as read. */
export const toCheckpoint = (r: Row): StoredCheckpoint => ({
  treeSize: Number(r.tree_size),
  root: new Uint8Array(r.root.buffer, r.root.byteOffset, r.root.length),
  note: r.note,
  signedAt: r.signed_at,
});

/** The newest (largest) signed checkpoint, or undefined before the first one. */
export async function readLatestCheckpoint(db: Kysely<any>): Promise<StoredCheckpoint | undefined> {
  const { rows } = await sql<Row>`
    select tree_size, root, note, signed_at from audit_checkpoints order by tree_size desc limit 1`.execute(db);
  return rows[0] && toCheckpoint(rows[0]);
}

/** The checkpoint signed for exactly `size` leaves, if any. */
export async function readCheckpointAt(db: Kysely<any>, size: number): Promise<StoredCheckpoint | undefined> {
  const { rows } = await sql<Row>`
    select tree_size, root, note, signed_at from audit_checkpoints where tree_size = ${String(size)}::bigint`.execute(db);
  return rows[0] && toCheckpoint(rows[0]);
}

/** The latest signed checkpoint if it covers leaf `leafIndex`: what an inspector compares with the published one. */
export async function readCheckpointCovering(db: Kysely<any>, leafIndex: number): Promise<StoredCheckpoint | undefined> {
  const { rows } = await sql<Row>`
    select tree_size, root, note, signed_at from audit_checkpoints
    where tree_size > ${String(leafIndex)}::bigint order by tree_size desc limit 1`.execute(db);
  return rows[0] && toCheckpoint(rows[0]);
}

/** Signed checkpoints in increasing size, a page at a time. */
export async function readCheckpoints(db: Kysely<any>, options: { afterSize?: number; limit?: number } = {}): Promise<StoredCheckpoint[]> {
  const { rows } = await sql<Row>`
    select tree_size, root, note, signed_at from audit_checkpoints
    where tree_size > ${String(options.afterSize ?? 0)}::bigint order by tree_size limit ${options.limit ?? 1000}`.execute(db);
  return rows.map(toCheckpoint);
}

/** Stores a signed checkpoint; a size signed already (by another process) is left as it is. */
export async function insertCheckpoint(db: Kysely<any>, checkpoint: Omit<StoredCheckpoint, "signedAt">): Promise<boolean> {
  const result = await sql`
    insert into audit_checkpoints (tree_size, root, note)
    values (${String(checkpoint.treeSize)}::bigint, ${Buffer.from(checkpoint.root)}, ${checkpoint.note})
    on conflict (tree_size) do nothing`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Number of leaves the sealer has committed (0 before its schema exists). */
export async function readSealedSize(db: Kysely<any>): Promise<number> {
  try {
    const { rows } = await sql<{ size: string }>`select size from ${sql.id(AUDIT_SCHEMA, "audit_tree")}`.execute(db);
    return Number(rows[0]?.size ?? 0);
  } catch (error) {
    // 42P01: the sealer has not created its schema yet.
    if ((error as { code?: string }).code === "42P01") return 0;
    throw error;
  }
}

/**
 * In one query: the signed checkpoint of `size` (the latest one when undefined) and the
 * leaf index of the event at `position`, each undefined when there is none.
 */
export async function readCheckpointAndLeaf(
  db: Kysely<any>,
  position: bigint,
  size: number | undefined,
): Promise<{ checkpoint: StoredCheckpoint | undefined; leafIndex: number | undefined }> {
  const checkpoint =
    size === undefined
      ? sql`select tree_size, root, note, signed_at from audit_checkpoints order by tree_size desc limit 1`
      : sql`select tree_size, root, note, signed_at from audit_checkpoints where tree_size = ${String(size)}::bigint`;
  let row: (Partial<Row> & { leaf_index: string | null }) | undefined;
  try {
    const { rows } = await sql<Partial<Row> & { leaf_index: string | null }>`
      select c.tree_size, c.root, c.note, c.signed_at, l.leaf_index
      from (select 1) as one
      left join (${checkpoint}) as c on true
      left join lateral (${leafIndexAt(position)}) l on true`.execute(db);
    row = rows[0];
  } catch (error) {
    // 42P01: the sealer has not created its schema yet, so nothing is sealed.
    if ((error as { code?: string }).code !== "42P01") throw error;
    const { rows } = await sql<Row>`${checkpoint}`.execute(db);
    row = rows[0] && { ...rows[0], leaf_index: null };
  }
  return {
    checkpoint: row?.tree_size == null ? undefined : toCheckpoint(row as Row),
    leafIndex: row?.leaf_index == null ? undefined : Number(row.leaf_index),
  };
}

/**
 * `leaf_index` of the event at `position`, no row if it is not sealed: the run starting at or
 * before the position is the only one that can hold it (runs never overlap), one index probe.
 */
function leafIndexAt(position: bigint) {
  const p = sql`${position.toString()}::bigint`;
  return sql<{ leaf_index: string }>`
    select r.first_leaf + (${p} - r.first_position) as leaf_index
    from (select first_position, first_leaf, leaves from ${sql.id(AUDIT_SCHEMA, "audit_leaf_runs")}
          where first_position <= ${p} order by first_position desc limit 1) r
    where ${p} < r.first_position + r.leaves`;
}

/** Leaf index of the event at global `position`, if sealed. */
export async function readLeafIndex(db: Kysely<any>, position: bigint): Promise<number | undefined> {
  const { rows } = await leafIndexAt(position).execute(db);
  return rows[0] === undefined ? undefined : Number(rows[0].leaf_index);
}

/** Positions of leaves `from` … `from + count − 1`, in leaf order (for naming a mismatching leaf). */
export async function readLeafPositions(db: Kysely<any>, from: number, count: number): Promise<Map<number, bigint>> {
  const { rows } = await sql<{ position: string; leaf_index: string }>`
    select r.first_position + (g.leaf - r.first_leaf) as position, g.leaf as leaf_index
    from generate_series(${String(from)}::bigint, ${String(from + count - 1)}::bigint) as g(leaf)
    cross join lateral (
      select first_position, first_leaf, leaves from ${sql.id(AUDIT_SCHEMA, "audit_leaf_runs")}
      where first_leaf <= g.leaf order by first_leaf desc limit 1) r
    where g.leaf < r.first_leaf + r.leaves`.execute(db);
  return new Map(rows.map((r) => [Number(r.leaf_index), BigInt(r.position)]));
}
