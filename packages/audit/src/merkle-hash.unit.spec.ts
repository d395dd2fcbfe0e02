import { describe, expect, it } from "vitest";
import { emptyRoot, leafHash, nodeHash } from "./merkle-hash.js";
import { referenceRoot } from "./reference-tree.spec-helpers.js";
import { fromHex, toHex } from "./verify/bytes.js";
import * as webHash from "./verify/hash.js";

// RFC 6962 test tree from transparency-dev/merkle (proof/verify_test.go): eight
// leaves and the root of each prefix.
export const GOLDEN_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(fromHex);
export const GOLDEN_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

describe("RFC 9162 hashing", () => {
  it("hashes the empty tree to SHA-256 of the empty string", async () => {
    expect(toHex(emptyRoot())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(await webHash.emptyRoot())).toBe(toHex(emptyRoot()));
  });

  it("matches the RFC 6962 golden roots for every prefix of the 8-leaf tree", () => {
    const leaves = GOLDEN_LEAVES.map(leafHash);
    for (const [i, root] of GOLDEN_ROOTS.entries()) expect(toHex(referenceRoot(leaves.slice(0, i + 1)))).toBe(root);
  });

  it("server (node:crypto) and verifier (Web Crypto) hashes agree", async () => {
    for (const leaf of GOLDEN_LEAVES) expect(toHex(await webHash.leafHash(leaf))).toBe(toHex(leafHash(leaf)));
    const [a, b] = [leafHash(GOLDEN_LEAVES[0]!), leafHash(GOLDEN_LEAVES[1]!)];
    expect(toHex(await webHash.nodeHash(a, b))).toBe(toHex(nodeHash(a, b)));
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(nodeHash(b, a)));
  });
});
