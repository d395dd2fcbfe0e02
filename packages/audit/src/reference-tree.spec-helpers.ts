// A deliberately naive RFC 9162 tree straight from the recursive definitions, used
// only as an oracle for the tiled implementation.
import { leafHash, nodeHash } from "./merkle-hash.js";
import { largestPowerOfTwoBelow } from "./tree-node.js";

export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

export function referencePath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

export function referenceConsistency(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const sub = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [referenceRoot(d)];
    const k = largestPowerOfTwoBelow(d.length);
    return m <= k
      ? [...sub(m, d.slice(0, k), b), referenceRoot(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), referenceRoot(d.slice(0, k))];
  };
  return m === 0 || m === leaves.length ? [] : sub(m, leaves, true);
}

/** Leaf hashes of `count` distinct, deterministic leaves. */
export function testLeaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));
}
