// A deliberately naive RFC 9162 tree straight from the recursive definitions, used
// only as an oracle for the tiled implementation (memoised by range so exhaustive
// tests stay fast).
import { leafHash, nodeHash } from "./merkle-hash.js";
import { largestPowerOfTwoBelow } from "./tree-node.js";

export class ReferenceTree {
  readonly #leaves: readonly Uint8Array[];
  readonly #memo = new Map<string, Uint8Array>();

  constructor(leaves: readonly Uint8Array[]) {
    this.#leaves = leaves;
  }

  /** MTH(D[lo:hi]). */
  root(lo: number, hi: number): Uint8Array {
    if (hi - lo === 1) return this.#leaves[lo]!;
    const key = `${lo}:${hi}`;
    let hash = this.#memo.get(key);
    if (hash === undefined) {
      const k = largestPowerOfTwoBelow(hi - lo);
      hash = nodeHash(this.root(lo, lo + k), this.root(lo + k, hi));
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[lo:hi]) with m absolute. */
  path(m: number, lo: number, hi: number): Uint8Array[] {
    if (hi - lo <= 1) return [];
    const k = largestPowerOfTwoBelow(hi - lo);
    return m < lo + k
      ? [...this.path(m, lo, lo + k), this.root(lo + k, hi)]
      : [...this.path(m, lo + k, hi), this.root(lo, lo + k)];
  }

  /** PROOF(m, D[0:n]). */
  consistency(m: number, n: number): Uint8Array[] {
    const sub = (m: number, lo: number, hi: number, b: boolean): Uint8Array[] => {
      if (m === hi - lo) return b ? [] : [this.root(lo, hi)];
      const k = largestPowerOfTwoBelow(hi - lo);
      return m <= k
        ? [...sub(m, lo, lo + k, b), this.root(lo + k, hi)]
        : [...sub(m - k, lo + k, hi, false), this.root(lo, lo + k)];
    };
    return m === 0 || m === n ? [] : sub(m, 0, n, true);
  }
}

export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return new ReferenceTree(leaves).root(0, leaves.length);
}

/** Leaf hashes of `count` distinct, deterministic leaves. */
export function testLeaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));
}
