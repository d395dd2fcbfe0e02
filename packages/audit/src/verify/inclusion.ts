import { bytesEqual } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { type NodeHasher, webCryptoHasher } from "./hash.js";
import { assertHash, assertTreeNumber, half, isOdd } from "./tree-size.js";

/**
 * Root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1–5); throws when the
 * proof has the wrong number of hashes for (leafIndex, treeSize).
 */
export async function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  hasher: NodeHasher = webCryptoHasher,
): Promise<Uint8Array> {
  assertTreeNumber(leafIndex, "leaf index");
  assertTreeNumber(treeSize, "tree size");
  assertHash(leafHash, "leaf hash");
  for (const [i, p] of proof.entries()) assertHash(p, `proof[${i}]`);
  if (leafIndex >= treeSize) {
    throw new VerificationError("bad_proof", `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new VerificationError("bad_proof", "inclusion proof has extra hashes");
    if (isOdd(fn) || fn === sn) {
      r = await hasher.nodeHash(p, r);
      // The right edge of an unbalanced tree: skip levels where this node has no sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await hasher.nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError("bad_proof", "inclusion proof is missing hashes");
  return r;
}

/** Verifies an RFC 9162 §2.1.3.2 inclusion proof; throws VerificationError unless it holds. */
export async function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hasher: NodeHasher = webCryptoHasher,
): Promise<void> {
  assertHash(root, "root");
  const computed = await rootFromInclusionProof(leafHash, leafIndex, treeSize, proof, hasher);
  if (!bytesEqual(computed, root)) {
    throw new VerificationError("root_mismatch", "inclusion proof does not lead to the expected root");
  }
}
