/**
 * A perfect subtree: the hash of leaves [index·2^level, (index+1)·2^level). Only
 * these are stored; any other tree hash is a fold of them.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** Largest power of two strictly below n (n ≥ 2), the split point of RFC 9162 §2.1.1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees, left to right, whose fold is MTH(D[start:end]) for a range the
 * RFC 9162 recursion can produce (start aligned to the largest piece).
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (size * 2 <= end - at && at % (size * 2) === 0) {
      size *= 2;
      level++;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** Rejects sizes and indexes that are not non-negative safe integers. */
export function assertTreeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}
