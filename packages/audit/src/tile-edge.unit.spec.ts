import { describe, expect, it } from "vitest";
import { MemoryTileStore } from "./memory-tile-store.js";
import { HASH_SIZE } from "./merkle-hash.js";
import { treeRoot } from "./proofs.js";
import { ReferenceTree, referenceRoot, testLeaves } from "./reference-tree.spec-helpers.js";
import { appendLeaves, EMPTY_EDGE, edgeRoot, loadTileEdge, type TileEdge } from "./tile-edge.js";
import { TileHashReader } from "./tile-hash-reader.js";
import { innerIndex } from "./tile-inner.js";
import { TILE_HEIGHT, TILE_WIDTH, type Tile } from "./tile-store.js";
import { toHex } from "./verify/bytes.js";

async function sealInBatches(leaves: readonly Uint8Array[], batch: number) {
  const store = new MemoryTileStore();
  let edge: TileEdge = EMPTY_EDGE;
  const written: Tile[] = [];
  for (let i = 0; i < leaves.length; i += batch) {
    const result = appendLeaves(edge, leaves.slice(i, i + batch));
    await store.writeTiles(result.tiles);
    written.push(...result.tiles);
    edge = result.edge;
  }
  return { store, edge, written };
}

describe("tiled tree appender", () => {
  const leaves = testLeaves(70_000);

  it("given any batching, when leaves are appended, then tiles and roots are the same", async () => {
    const one = await sealInBatches(leaves.slice(0, 1_000), 1);
    const many = await sealInBatches(leaves.slice(0, 1_000), 97);
    const all = await sealInBatches(leaves.slice(0, 1_000), 1_000);
    for (const other of [many, all]) {
      expect(toHex(edgeRoot(other.edge))).toBe(toHex(edgeRoot(one.edge)));
      for (const [level, index] of [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0]] as const) {
        const [a] = await one.store.readTiles([{ level, index }]);
        const [b] = await other.store.readTiles([{ level, index }]);
        expect(b && toHex(b)).toBe(a && toHex(a));
      }
    }
  });

  it("emits each full tile once and the grown partial tiles", () => {
    const { tiles, edge } = appendLeaves(EMPTY_EDGE, leaves.slice(0, 600));
    expect(tiles.map((t) => `${t.level}/${t.index}:${t.hashes.length / 32}`)).toEqual(["0/0:256", "0/1:256", "0/2:88", "1/0:2"]);
    expect(edge.size).toBe(600);
  });

  it("computes the root of every size from the edge and from stored tiles", async () => {
    const store = new MemoryTileStore();
    let edge: TileEdge = EMPTY_EDGE;
    for (let size = 1; size <= 300; size++) {
      const result = appendLeaves(edge, [leaves[size - 1]!]);
      await store.writeTiles(result.tiles);
      edge = result.edge;
      const expected = toHex(referenceRoot(leaves.slice(0, size)));
      expect(toHex(edgeRoot(edge))).toBe(expected);
    }
    const reader = new TileHashReader(store);
    for (let size = 1; size <= 300; size++) {
      expect(toHex(await treeRoot(reader, size))).toBe(toHex(referenceRoot(leaves.slice(0, size))));
    }
    expect(toHex(await treeRoot(reader, 0))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("given a large tree, when the edge is reloaded from the store, then appending resumes exactly", async () => {
    const { store, edge } = await sealInBatches(leaves, 4_096); // 70,000 leaves: three tile levels
    const reloaded = await loadTileEdge(store, edge.size);
    expect(reloaded.rows.map(toHex)).toEqual(edge.rows.map(toHex));
    expect(toHex(edgeRoot(reloaded))).toBe(toHex(referenceRoot(leaves)));
    expect(toHex(await treeRoot(new TileHashReader(store), leaves.length))).toBe(toHex(referenceRoot(leaves)));
    // Older sizes are still answerable from the (grown) tiles.
    const older = await loadTileEdge(store, 65_537);
    expect(toHex(edgeRoot(older))).toBe(toHex(referenceRoot(leaves.slice(0, 65_537))));
  });

  it("does not mutate the edge it was given, so a failed write can be retried", () => {
    const first = appendLeaves(EMPTY_EDGE, leaves.slice(0, 300));
    const before = first.edge.rows.map(toHex);
    const a = appendLeaves(first.edge, leaves.slice(300, 310));
    const b = appendLeaves(first.edge, leaves.slice(300, 310));
    expect(first.edge.rows.map(toHex)).toEqual(before);
    expect(toHex(edgeRoot(a.edge))).toBe(toHex(edgeRoot(b.edge)));
  });

  it("refuses to store a tile that rewrites history", async () => {
    const store = new MemoryTileStore();
    await store.writeTiles(appendLeaves(EMPTY_EDGE, leaves.slice(0, 3)).tiles);
    const forged = appendLeaves(EMPTY_EDGE, [leaves[1]!, leaves[0]!, leaves[2]!, leaves[3]!]);
    await expect(store.writeTiles(forged.tiles)).rejects.toThrow(/rewritten/);
  });

  it("refuses leaf hashes of the wrong size", () => {
    expect(() => appendLeaves(EMPTY_EDGE, [new Uint8Array(31)])).toThrow(RangeError);
  });
});

describe("tile inner hashes", () => {
  const leaves = testLeaves(600);
  const reference = new ReferenceTree(leaves);

  it("given full and partial tiles, then every stored inner hash is the reference subtree's and the rest are zeros", () => {
    const written = appendLeaves(EMPTY_EDGE, leaves).tiles.filter((t) => t.level === 0);
    expect(written.map((t) => t.hashes.length / HASH_SIZE)).toEqual([256, 256, 88]);
    for (const tile of written) {
      const width = tile.hashes.length / HASH_SIZE;
      for (let height = 1; height <= TILE_HEIGHT; height++) {
        for (let j = 0; j < TILE_WIDTH >> height; j++) {
          const at = innerIndex(height, j) * HASH_SIZE;
          const stored = toHex(tile.inner!.subarray(at, at + HASH_SIZE));
          const first = tile.index * TILE_WIDTH + (j << height);
          const expected = j < width >> height ? toHex(reference.root(first, first + 2 ** height)) : "00".repeat(HASH_SIZE);
          expect(stored, `tile ${tile.index} height ${height} node ${j}`).toBe(expected);
        }
      }
    }
  });
});
