import { type Kysely, sql } from "kysely";
import { HASH_SIZE } from "../merkle-hash.js";
import type { TreeHashReader } from "../tile-hash-reader.js";
import type { NodeId } from "../tree-node.js";
import { readCheckpointAndLeaf, type StoredCheckpoint, toCheckpoint } from "./checkpoint-rows.js";

/** What an inclusion proof by position needs, read in one query. */
export interface InclusionInputs {
  readonly checkpoint: StoredCheckpoint | undefined;
  readonly leafIndex: number | undefined;
  /** Stored hashes of the proof's nodes, by `level/index`; a node whose tile has no inner hashes is missing. */
  readonly hashes: ReadonlyMap<string, Uint8Array>;
}

/**
 * In one round trip (the function aidtrail_audit_inclusion, migration 2026-11-29T2210): the
 * signed checkpoint of `size` (the latest when undefined), the leaf index of the event at
 * `position`, and the stored hash of every node its RFC 9162 inclusion path folds, read as
 * 32-byte slices of the tiles' rows and inner hashes.
 */
export async function readInclusionInputs(db: Kysely<any>, position: bigint, size: number | undefined): Promise<InclusionInputs> {
  try {
    const { rows } = await sql<Row>`
      select * from aidtrail_audit_inclusion(${position.toString()}::bigint, ${size === undefined ? null : String(size)}::bigint)`.execute(db);
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
