import { type Kysely, sql } from "kysely";
import { HASH_SIZE } from "../merkle-hash.js";
import type { TreeHashReader } from "../tile-hash-reader.js";
import type { NodeId } from "../tree-node.js";
import { AUDIT_SCHEMA } from "./audit-tables.js";
import { readCheckpointAndLeaf, type StoredCheckpoint, toCheckpoint } from "./checkpoint-rows.js";

/** What an inclusion proof by position needs, read in one query. */
export interface InclusionInputs {
  readonly checkpoint: StoredCheckpoint | undefined;
  readonly leafIndex: number | undefined;
  /** Stored hashes of the proof's nodes, by `level/index`; a node whose tile has no inner hashes is missing. */
  readonly hashes: ReadonlyMap<string, Uint8Array>;
}

/**
 * In one query: the signed checkpoint of `size` (the latest when undefined), the leaf index
 * of the event at `position`, and the stored hash of every node its RFC 9162 inclusion path
 * folds. The nodes are those of inclusionPlan, worked out in SQL from the leaf index m and the
 * tree size n: at each level h whose sibling s = (m >> h) xor 1 starts inside the tree, the
 * sibling itself when it is complete, else the right edge of the tree below h (for each bit b
 * < h set in n, the node (b, (n >> b) − 1)). Each is a 32-byte slice of its tile: the bottom
 * row at height 0, the inner hashes above it.
 */
export async function readInclusionInputs(db: Kysely<any>, position: bigint, size: number | undefined): Promise<InclusionInputs> {
  const checkpoint =
    size === undefined
      ? sql`select tree_size, root, note, signed_at from audit_checkpoints order by tree_size desc limit 1`
      : sql`select tree_size, root, note, signed_at from audit_checkpoints where tree_size = ${String(size)}::bigint`;
  const p = sql`${position.toString()}::bigint`;
  const runs = sql.id(AUDIT_SCHEMA, "audit_leaf_runs");
  const tiles = sql.id(AUDIT_SCHEMA, "audit_tiles");
  try {
    const { rows } = await sql<Row>`
      select c.tree_size, c.root, c.note, c.signed_at, l.leaf_index, h.levels, h.idxs, h.hashes
      from (select 1) as one
      left join (${checkpoint}) as c on true
      left join lateral (
        select r.first_leaf + (${p} - r.first_position) as leaf_index
        from (select first_position, first_leaf, leaves from ${runs}
              where first_position <= ${p} order by first_position desc limit 1) r
        where ${p} < r.first_position + r.leaves) as l on true
      left join lateral (
        select array_agg(x.level) as levels, array_agg(x.idx::text) as idxs, array_agg(
                 case when x.level % 8 = 0 then substring(t.hashes from (x.idx % 256)::int * 32 + 1 for 32)
                      else substring(t.inner_hashes from (256 - (512 >> (x.level % 8)) + (x.idx % (256 >> (x.level % 8)))::int) * 32 + 1 for 32)
                 end) as hashes
        from (
          select s.h as level, s.sib as idx from (${siblings(sql`l.leaf_index`, sql`c.tree_size`)}) s
          where s.sib < s.self or ((s.sib + 1) << s.h) <= c.tree_size
          union all
          select b, (c.tree_size >> b) - 1 from (${siblings(sql`l.leaf_index`, sql`c.tree_size`)}) s, generate_series(0, 52) b
          where s.sib > s.self and ((s.sib + 1) << s.h) > c.tree_size and b < s.h and ((c.tree_size >> b) & 1) = 1
        ) x
        join ${tiles} t on t.level = x.level / 8 and t.idx = (x.idx << (x.level % 8)) >> 8
        where l.leaf_index < c.tree_size) as h on true`.execute(db);
    const row = rows[0];
    const hashes = new Map<string, Uint8Array>();
    row?.levels?.forEach((level, i) => {
      const hash = row.hashes?.[i];
      if (hash?.length === HASH_SIZE) hashes.set(`${level}/${row.idxs![i]}`, new Uint8Array(hash.buffer, hash.byteOffset, HASH_SIZE));
    });
    return {
      checkpoint: row?.tree_size == null ? undefined : toCheckpoint(row as Parameters<typeof toCheckpoint>[0]),
      leafIndex: row?.leaf_index == null ? undefined : Number(row.leaf_index),
      hashes,
    };
  } catch (error) {
    // 42P01: the sealer has not created its schema yet, so nothing is sealed.
    if ((error as { code?: string }).code !== "42P01") throw error;
    return { ...(await readCheckpointAndLeaf(db, position, size)), hashes: new Map() };
  }
}

/** Levels 0–52 (tree sizes stay below 2^53) with the sibling of leaf m's ancestor, where it starts inside the tree. */
function siblings(m: ReturnType<typeof sql>, n: ReturnType<typeof sql>) {
  return sql`
    select g.h, (${m} >> g.h) # 1 as sib, ${m} >> g.h as self from generate_series(0, 52) g(h)
    where (((${m} >> g.h) # 1) << g.h) < ${n}`;
}

interface Row {
  tree_size: string | null;
  root: Buffer | null;
  note: string | null;
  signed_at: Date | null;
  leaf_index: string | null;
  levels: number[] | null;
  idxs: string[] | null;
  hashes: (Buffer | null)[] | null;
}

/**
 * A reader serving a proof from hashes read already; when any node is missing (tiles sealed
 * before inner hashes were stored) the whole request goes to `fallback`.
 */
export class PrefetchedHashReader implements TreeHashReader {
  readonly #hashes: ReadonlyMap<string, Uint8Array>;
  readonly #fallback: TreeHashReader;

  constructor(hashes: ReadonlyMap<string, Uint8Array>, fallback: TreeHashReader) {
    this.#hashes = hashes;
    this.#fallback = fallback;
  }

  async readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    const found = nodes.map((n) => this.#hashes.get(`${n.level}/${n.index}`));
    if (found.every((hash) => hash !== undefined)) return found as Uint8Array[];
    return this.#fallback.readHashes(nodes);
  }
}
