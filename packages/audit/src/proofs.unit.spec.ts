import { beforeAll, describe, expect, it } from "vitest";
import { MemoryTileStore } from "./memory-tile-store.js";
import { leafHash, syncNodeHasher } from "./merkle-hash.js";
import { GOLDEN_LEAVES } from "./merkle-hash.unit.spec.js";
import { consistencyProof, inclusionProof, treeRoot } from "./proofs.js";
import { ReferenceTree, testLeaves } from "./reference-tree.spec-helpers.js";
import { appendLeaves, EMPTY_EDGE } from "./tile-edge.js";
import { TileHashReader } from "./tile-hash-reader.js";
import { bytesEqual, toHex } from "./verify/bytes.js";
import { verifyConsistency } from "./verify/consistency.js";
import { verifyInclusion } from "./verify/inclusion.js";

const hex = (hashes: readonly Uint8Array[]) => hashes.map(toHex);
// Cheap comparison for the exhaustive loops; hex only when reporting a mismatch.
const expectSameHashes = (got: readonly Uint8Array[], want: readonly Uint8Array[]) => {
  if (got.length !== want.length || got.some((h, i) => !bytesEqual(h, want[i]!))) expect(hex(got)).toEqual(hex(want));
};

async function storeOf(leaves: readonly Uint8Array[]) {
  const store = new MemoryTileStore();
  await store.writeTiles(appendLeaves(EMPTY_EDGE, leaves).tiles);
  return { store, reader: new TileHashReader(store) };
}

describe("proofs from stored tiles", () => {
  const N = 300;
  const leaves = testLeaves(N);
  const roots: Uint8Array[] = [];
  let reader: TileHashReader;

  beforeAll(async () => {
    ({ reader } = await storeOf(leaves));
    for (let n = 1; n <= N; n++) roots[n] = await treeRoot(reader, n);
  });

  it("gives the RFC 9162 inclusion path for every size 1..300 and every index, which the verifier accepts", async () => {
    const reference = new ReferenceTree(leaves);
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(reader, i, n);
        expectSameHashes(proof, reference.path(i, 0, n));
        // Same algorithm as the default; the synchronous hasher keeps 45,150 checks fast.
        await verifyInclusion(leaves[i]!, i, n, proof, roots[n]!, syncNodeHasher);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it("gives the RFC 9162 consistency proof for every pair 1 ≤ m ≤ n ≤ 300, which the verifier accepts", async () => {
    const reference = new ReferenceTree(leaves);
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = await consistencyProof(reader, m, n);
        expectSameHashes(proof, reference.consistency(m, n));
        await verifyConsistency(m, n, proof, roots[m]!, roots[n]!, syncNodeHasher);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it("is accepted by the Web Crypto verifier for every size, at the edges and a spread of indexes", async () => {
    const checks: Promise<void>[] = [];
    for (let n = 1; n <= N; n++) {
      const picks = new Set([0, n - 1, Math.floor(n / 2), (n * 7) % n, (n * 13 + 5) % n]);
      for (const i of picks) {
        checks.push(inclusionProof(reader, i, n).then((p) => verifyInclusion(leaves[i]!, i, n, p, roots[n]!)));
        const m = i + 1;
        checks.push(consistencyProof(reader, m, n).then((p) => verifyConsistency(m, n, p, roots[m]!, roots[n]!)));
      }
    }
    await Promise.all(checks);
    expect(checks.length).toBeGreaterThan(2 * N);
  });

  it("refuses to prove what the tree cannot contain", async () => {
    await expect(inclusionProof(reader, 5, 5)).rejects.toThrow(RangeError);
    await expect(inclusionProof(reader, 0, 0)).rejects.toThrow(RangeError);
    await expect(consistencyProof(reader, 6, 5)).rejects.toThrow(RangeError);
    await expect(inclusionProof(reader, 0, N + 1)).rejects.toThrow(/not stored/);
  });

  it("reproduces the RFC 6962 golden proofs of the 8-leaf tree", async () => {
    const golden = await storeOf(GOLDEN_LEAVES.map(leafHash));
    // From transparency-dev/merkle proof/verify_test.go (leaf numbers there are 1-based).
    expect(hex(await inclusionProof(golden.reader, 0, 8))).toEqual([
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]);
    expect(hex(await inclusionProof(golden.reader, 5, 8))).toEqual([
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]);
    expect(hex(await inclusionProof(golden.reader, 2, 3))).toEqual([
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    ]);
    expect(hex(await inclusionProof(golden.reader, 1, 5))).toEqual([
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]);
    expect(hex(await consistencyProof(golden.reader, 1, 1))).toEqual([]);
    expect(hex(await consistencyProof(golden.reader, 1, 8))).toEqual([
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]);
    expect(hex(await consistencyProof(golden.reader, 6, 8))).toEqual([
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]);
    expect(hex(await consistencyProof(golden.reader, 2, 5))).toEqual([
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]);
    expect(hex(await consistencyProof(golden.reader, 6, 7))).toEqual([
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]);
  });
});

describe("proofs in a large tree", () => {
  const leaves = testLeaves(70_000);

  it("match the reference and cost one batch read of O(log n) tiles", async () => {
    const { store, reader } = await storeOf(leaves);
    const reference = new ReferenceTree(leaves);
    const root = reference.root(0, leaves.length);
    expect(toHex(await treeRoot(reader, leaves.length))).toBe(toHex(root));
    for (const i of [0, 1, 255, 256, 65_535, 65_536, 69_999, 12_345]) {
      const before = store.reads;
      const proof = await inclusionProof(reader, i, leaves.length);
      expect(store.reads - before).toBeLessThanOrEqual(1);
      expect(hex(proof)).toEqual(hex(reference.path(i, 0, leaves.length)));
      await verifyInclusion(leaves[i]!, i, leaves.length, proof, root);
    }
    for (const m of [1, 256, 257, 65_536, 69_000]) {
      const before = store.reads;
      const proof = await consistencyProof(reader, m, leaves.length);
      expect(store.reads - before).toBeLessThanOrEqual(1);
      expect(hex(proof)).toEqual(hex(reference.consistency(m, leaves.length)));
      await verifyConsistency(m, leaves.length, proof, reference.root(0, m), root);
    }
  }, 60_000);
});
