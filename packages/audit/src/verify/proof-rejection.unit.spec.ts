import { describe, expect, it } from "vitest";
import { fromHex } from "./bytes.js";
import { verifyConsistency } from "./consistency.js";
import { VerificationError } from "./errors.js";
import { leafHash } from "./hash.js";
import { rootFromInclusionProof, verifyInclusion } from "./inclusion.js";

// RFC 6962 test tree (transparency-dev/merkle proof/verify_test.go): leaves, prefix roots and proofs.
const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(fromHex);
const roots = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(fromHex);
const root = (size: number) => roots[size - 1]!;
const h = (...hex: string[]) => hex.map(fromHex);

// [leaf index (0-based), tree size, proof]
const inclusionVectors: [number, number, Uint8Array[]][] = [
  [0, 8, h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")],
  [5, 8, h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")],
  [2, 3, h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")],
  [1, 5, h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")],
];
// [first size, second size, proof]
const consistencyVectors: [number, number, Uint8Array[]][] = [
  [1, 8, h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")],
  [6, 8, h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")],
  [2, 5, h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")],
  [6, 7, h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")],
];
const someHash = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");
const flip = (proof: Uint8Array[], i: number) => proof.map((p, j) => (j === i ? p.map((b, k) => (k === 0 ? b ^ 8 : b)) : p));
const swap = (proof: Uint8Array[], i: number) => {
  const out = [...proof];
  [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
};
let probe = 0;
// Note: a path can fit neighbouring sizes too (leaf 1 in 5 or 6 leaves hashes alike),
// which is why verifiers must take sizes from signed checkpoints; probes use ×2 and ÷2.
const rejects = (promise: Promise<unknown>) => expect(promise, `probe ${probe++}`).rejects.toBeInstanceOf(VerificationError);

describe("inclusion verification (RFC 9162 §2.1.3.2)", () => {
  it.each(inclusionVectors)("accepts the golden proof of leaf %i in size %i", async (index, size, proof) => {
    const leaf = await leafHash(leaves[index]!);
    await verifyInclusion(leaf, index, size, proof, root(size));
    expect(await rootFromInclusionProof(leaf, index, size, proof)).toEqual(root(size));
  });

  it.each(inclusionVectors)("rejects every corruption of the proof of leaf %i in size %i", async (index, size, proof) => {
    probe = 0;
    const leaf = await leafHash(leaves[index]!);
    const r = root(size);
    await rejects(verifyInclusion(leaf, index, size * 2, proof, r)); // wrong size
    await rejects(verifyInclusion(leaf, index, Math.floor(size / 2), proof, r));
    await rejects(verifyInclusion(leaf, index + 1, size, proof, r)); // wrong index
    await rejects(verifyInclusion(leaf, index, index, proof, r)); // index ≥ size
    await rejects(verifyInclusion(leaf, size, size, proof, r));
    await rejects(verifyInclusion(someHash, index, size, proof, r)); // wrong leaf
    await rejects(verifyInclusion(leaf, index, size, proof, someHash)); // wrong root
    await rejects(verifyInclusion(leaf, index, size, [...proof, r], r)); // extra hash at the end
    await rejects(verifyInclusion(leaf, index, size, [r, ...proof], r)); // extra hash in front
    await rejects(verifyInclusion(leaf, index, size, proof.slice(0, -1), r)); // missing hash
    await rejects(verifyInclusion(leaf, index, size, proof.slice(1), r));
    await rejects(verifyInclusion(leaf, index, size, [...proof, new Uint8Array(0)], r)); // garbage
    for (let i = 0; i < proof.length; i++) await rejects(verifyInclusion(leaf, index, size, flip(proof, i), r));
    for (let i = 0; i + 1 < proof.length; i++) await rejects(verifyInclusion(leaf, index, size, swap(proof, i), r)); // swapped siblings
  });

  it("accepts a one-leaf tree with an empty proof, and nothing else", async () => {
    const leaf = await leafHash(leaves[0]!);
    await verifyInclusion(leaf, 0, 1, [], leaf);
    await rejects(verifyInclusion(leaf, 0, 1, [leaf], leaf));
    await rejects(verifyInclusion(leaf, 0, 0, [], leaf));
    await rejects(verifyInclusion(leaf, 1, 1, [], leaf));
    await rejects(verifyInclusion(leaf, -1, 1, [], leaf));
    await rejects(verifyInclusion(leaf, 0.5, 1, [], leaf));
  });
});

describe("consistency verification (RFC 9162 §2.1.4.2)", () => {
  it.each(consistencyVectors)("accepts the golden proof from size %i to %i", async (m, n, proof) => {
    await verifyConsistency(m, n, proof, root(m), root(n));
  });

  it.each(consistencyVectors)("rejects every corruption of the proof from size %i to %i", async (m, n, proof) => {
    probe = 0;
    const [r1, r2] = [root(m), root(n)];
    await rejects(verifyConsistency(m - 1, n, proof, r1, r2)); // wrong sizes
    await rejects(verifyConsistency(m + 1, n, proof, r1, r2));
    await rejects(verifyConsistency(m, n * 2, proof, r1, r2));
    await rejects(verifyConsistency(n, m, proof, r2, r1));
    await rejects(verifyConsistency(m, n, proof, someHash, r2)); // wrong roots
    await rejects(verifyConsistency(m, n, proof, r1, someHash));
    await rejects(verifyConsistency(m, n, proof, r2, r1));
    await rejects(verifyConsistency(m, n, [], r1, r2)); // empty proof
    await rejects(verifyConsistency(m, n, [...proof, r1], r1, r2)); // extra hashes
    await rejects(verifyConsistency(m, n, [...proof, r2], r1, r2));
    await rejects(verifyConsistency(m, n, [r1, ...proof], r1, r2));
    await rejects(verifyConsistency(m, n, [proof[0]!, ...proof], r1, r2));
    await rejects(verifyConsistency(m, n, proof.slice(0, -1), r1, r2)); // missing hash
    for (let i = 0; i < proof.length; i++) await rejects(verifyConsistency(m, n, flip(proof, i), r1, r2));
    for (let i = 0; i + 1 < proof.length; i++) await rejects(verifyConsistency(m, n, swap(proof, i), r1, r2));
  });

  it("handles the trivial cases: equal sizes need equal roots, and no proof hash is ever extra", async () => {
    const [a, b] = [root(3), root(4)];
    await verifyConsistency(3, 3, [], a, a);
    await verifyConsistency(0, 4, [], a, b);
    await rejects(verifyConsistency(3, 3, [], a, b));
    await rejects(verifyConsistency(3, 3, [a], a, a));
    await rejects(verifyConsistency(0, 4, [a], a, b));
    await rejects(verifyConsistency(1, 0, [], a, b));
  });
});
