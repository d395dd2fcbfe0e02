import { bytesEqual } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { type NodeHasher, webCryptoHasher } from "./hash.js";
import { assertHash, assertTreeNumber, half, isOdd, isPowerOfTwo } from "./tree-size.js";

/**
 * Verifies an RFC 9162 §2.1.4.2 consistency proof that the tree of size `firstSize`
 * with root `firstRoot` is a prefix of the tree of size `secondSize` with `secondRoot`;
 * throws VerificationError unless it holds.
 */
export async function verifyConsistency(
  firstSize: number,
  secondSize: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  hasher: NodeHasher = webCryptoHasher,
): Promise<void> {
  assertTreeNumber(firstSize, "first size");
  assertTreeNumber(secondSize, "second size");
  assertHash(firstRoot, "first root");
  assertHash(secondRoot, "second root");
  for (const [i, p] of proof.entries()) assertHash(p, `proof[${i}]`);
  if (firstSize > secondSize) {
    throw new VerificationError("bad_proof", `first size ${firstSize} exceeds second size ${secondSize}`);
  }
  if (firstSize === secondSize || firstSize === 0) {
    // Trivial cases: nothing to prove, so any hash offered is an extra one.
    if (proof.length > 0) throw new VerificationError("bad_proof", "consistency proof has extra hashes");
    if (firstSize === secondSize && !bytesEqual(firstRoot, secondRoot)) {
      throw new VerificationError("root_mismatch", "equal sizes but different roots");
    }
    return;
  }
  if (proof.length === 0) throw new VerificationError("bad_proof", "consistency proof is empty");

  // A power-of-two first tree is itself a node of the second, so its root starts the path.
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new VerificationError("bad_proof", "consistency proof has extra hashes");
    if (isOdd(fn) || fn === sn) {
      fr = await hasher.nodeHash(c, fr);
      sr = await hasher.nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await hasher.nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError("bad_proof", "consistency proof is missing hashes");
  if (!bytesEqual(fr, firstRoot)) throw new VerificationError("root_mismatch", "proof does not match the first root");
  if (!bytesEqual(sr, secondRoot)) throw new VerificationError("root_mismatch", "proof does not match the second root");
}
