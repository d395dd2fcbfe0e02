import { describe, expect, it } from "vitest";
import { leafRuns } from "./leaf-runs.js";

const at = (...positions: number[]) => positions.map((p) => ({ position: BigInt(p) }));

describe("leaf runs", () => {
  it("given consecutive positions, then one run covers the batch", () => {
    expect(leafRuns(at(7, 8, 9, 10), 100)).toEqual([{ firstPosition: 7n, firstLeaf: 100, leaves: 4 }]);
  });

  it("given gaps and positions out of order (global order is by transaction), then a run starts at each break", () => {
    expect(leafRuns(at(5, 6, 9, 3, 4, 10), 0)).toEqual([
      { firstPosition: 5n, firstLeaf: 0, leaves: 2 },
      { firstPosition: 9n, firstLeaf: 2, leaves: 1 },
      { firstPosition: 3n, firstLeaf: 3, leaves: 2 },
      { firstPosition: 10n, firstLeaf: 5, leaves: 1 },
    ]);
  });

  it("given no events, then no run", () => {
    expect(leafRuns([], 3)).toEqual([]);
  });
});
