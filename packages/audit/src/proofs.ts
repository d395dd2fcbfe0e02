import { foldSubtrees } from "./merkle-hash.js";
import type { TreeHashReader } from "./tile-hash-reader.js";
import { assertTreeNumber, largestPowerOfTwoBelow, type NodeId, rangeNodes } from "./tree-node.js";

/**
 * A proof before any hash is read: each element is MTH of one range, listed as the
 * perfect subtrees that fold into it. Planning first lets a proof cost one batch read.
 */
export type ProofPlan = readonly (readonly NodeId[])[];

/** Plan of the RFC 9162 §2.1.3.1 inclusion path of leaf `index` in a tree of `size` leaves. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  assertTreeNumber(index, "leaf index");
  assertTreeNumber(size, "tree size");
  if (index >= size) throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  // PATH(m, D[lo:hi]) recurses into one half and appends the other, so collect top-down and reverse.
  const topDown: NodeId[][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return topDown.reverse();
}

/** Plan of the RFC 9162 §2.1.4.1 consistency proof between tree sizes `first` ≤ `second`. */
export function consistencyPlan(first: number, second: number): ProofPlan {
  assertTreeNumber(first, "first size");
  assertTreeNumber(second, "second size");
  if (first > second) throw new RangeError(`first size ${first} exceeds second size ${second}`);
  if (first === 0 || first === second) return [];
  // SUBPROOF(m, D[lo:hi], b), unrolled; `complete` is the RFC's b flag.
  const topDown: NodeId[][] = [];
  let m = first;
  let lo = 0;
  let hi = second;
  let complete = true;
  while (m !== hi - lo) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      m -= k;
      lo += k;
      complete = false;
    }
  }
  if (!complete) topDown.push(rangeNodes(lo, hi));
  return topDown.reverse();
}

/** Reads every hash a plan needs in one batch and folds each element. */
export async function resolvePlan(reader: TreeHashReader, plan: ProofPlan): Promise<Uint8Array[]> {
  const hashes = await reader.readHashes(plan.flat());
  let at = 0;
  return plan.map((nodes) => {
    const element = foldSubtrees(hashes.slice(at, at + nodes.length));
    at += nodes.length;
    return element;
  });
}

/** RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, from stored hashes. */
export async function inclusionProof(reader: TreeHashReader, index: number, size: number): Promise<Uint8Array[]> {
  return resolvePlan(reader, inclusionPlan(index, size));
}

/** RFC 9162 consistency proof between tree sizes `first` and `second`, from stored hashes. */
export async function consistencyProof(reader: TreeHashReader, first: number, second: number): Promise<Uint8Array[]> {
  return resolvePlan(reader, consistencyPlan(first, second));
}

/** Root hash of the tree of the first `size` leaves, for any size the store covers. */
export async function treeRoot(reader: TreeHashReader, size: number): Promise<Uint8Array> {
  assertTreeNumber(size, "tree size");
  const [root] = await resolvePlan(reader, [rangeNodes(0, size)]);
  return root!;
}
