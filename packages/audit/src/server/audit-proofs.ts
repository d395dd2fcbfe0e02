import type { Kysely } from "kysely";
import { consistencyProof, inclusionProof } from "../proofs.js";
import { TileHashReader } from "../tile-hash-reader.js";
import { toBase64 } from "../verify/bytes.js";
import { AuditRequestError } from "./audit-errors.js";
import { readCheckpointAt, readLatestCheckpoint, type StoredCheckpoint } from "./checkpoint-rows.js";
import { PrefetchedHashReader, readInclusionInputs } from "./inclusion-query.js";
import { PostgresTileStore } from "./postgres-tile-store.js";

// One reader per database handle: its tile cache is what makes repeated proofs cheap,
// and tiles never change once written (they only grow), so the cache is never stale.
const readers = new WeakMap<Kysely<any>, TileHashReader>();

/** The shared tile reader of a database handle. */
export function auditReader(db: Kysely<any>): TileHashReader {
  let reader = readers.get(db);
  if (reader === undefined) {
    reader = new TileHashReader(new PostgresTileStore(db), { cachedTiles: 4096 });
    readers.set(db, reader);
  }
  return reader;
}

/** The latest signed checkpoint (its note is what GET /v1/audit/checkpoint returns). */
export async function latestCheckpoint(db: Kysely<any>): Promise<StoredCheckpoint> {
  const checkpoint = await readLatestCheckpoint(db);
  if (checkpoint === undefined) throw new AuditRequestError("no_checkpoint", "no checkpoint has been signed yet");
  return checkpoint;
}

/** A checkpoint that must exist: proofs are only given for signed sizes. */
async function signedAt(db: Kysely<any>, size: number): Promise<StoredCheckpoint> {
  const checkpoint = await readCheckpointAt(db, size);
  if (checkpoint === undefined) throw new AuditRequestError("unsigned_size", `no signed checkpoint has tree size ${size}`);
  return checkpoint;
}

/** An inclusion proof of the event at a global position, in a signed tree. */
export interface InclusionProofResult {
  readonly position: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Base64 hashes, leaf side first (RFC 9162 §2.1.3). */
  readonly proof: readonly string[];
  /** The signed checkpoint of `treeSize`, so the answer verifies on its own. */
  readonly checkpoint: string;
}

/**
 * Inclusion proof of the event at `position` in the tree of `treeSize` leaves, which
 * must be a signed size (the latest signed one when omitted).
 */
export async function inclusionProofFor(
  db: Kysely<any>,
  request: { position: bigint; treeSize?: number | undefined },
): Promise<InclusionProofResult> {
  // One round trip for the checkpoint, the leaf and the stored hashes of its path.
  const { checkpoint, leafIndex, hashes } = await readInclusionInputs(db, request.position, request.treeSize);
  if (checkpoint === undefined) {
    throw request.treeSize === undefined
      ? new AuditRequestError("no_checkpoint", "no checkpoint has been signed yet")
      : new AuditRequestError("unsigned_size", `no signed checkpoint has tree size ${request.treeSize}`);
  }
  if (leafIndex === undefined) throw new AuditRequestError("unknown_position", `no sealed event at position ${request.position}`);
  if (leafIndex >= checkpoint.treeSize) {
    throw new AuditRequestError("not_covered", `the event at position ${request.position} is leaf ${leafIndex}, not in a tree of ${checkpoint.treeSize}`);
  }
  const proof = await inclusionProof(new PrefetchedHashReader(hashes, auditReader(db)), leafIndex, checkpoint.treeSize);
  return {
    position: request.position.toString(),
    leafIndex,
    treeSize: checkpoint.treeSize,
    proof: proof.map(toBase64),
    checkpoint: checkpoint.note,
  };
}

/** A consistency proof between two signed trees. */
export interface ConsistencyProofResult {
  readonly from: number;
  readonly to: number;
  readonly proof: readonly string[];
  readonly fromCheckpoint: string;
  readonly toCheckpoint: string;
}

/** Consistency proof between signed sizes `from` ≤ `to` (RFC 9162 §2.1.4). */
export async function consistencyProofFor(db: Kysely<any>, request: { from: number; to: number }): Promise<ConsistencyProofResult> {
  if (request.from > request.to) throw new AuditRequestError("bad_range", `from ${request.from} exceeds to ${request.to}`);
  const [first, second] = await Promise.all([signedAt(db, request.from), signedAt(db, request.to)]);
  const proof = await consistencyProof(auditReader(db), first.treeSize, second.treeSize);
  return {
    from: first.treeSize,
    to: second.treeSize,
    proof: proof.map(toBase64),
    fromCheckpoint: first.note,
    toCheckpoint: second.note,
  };
}
