import { describe, expect, it } from "vitest";
import { PersistentMap } from "./persistent-map.js";

/** A small seeded generator: the same operations on every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % n;
  };
}

describe("PersistentMap", () => {
  it("matches a Map over 20,000 seeded sets and deletes, and every earlier version stays as it was", () => {
    const next = lcg(42);
    let map = PersistentMap.empty<number>();
    const reference = new Map<string, number>();
    const versions: Array<{ map: PersistentMap<number>; expected: Map<string, number> }> = [];
    for (let i = 0; i < 20_000; i++) {
      const key = `disbursement-${next(5_000)}`;
      if (next(4) === 0) {
        map = map.delete(key);
        reference.delete(key);
      } else {
        map = map.set(key, i);
        reference.set(key, i);
      }
      if (i % 1_000 === 0) versions.push({ map, expected: new Map(reference) });
    }
    expect(map.size).toBe(reference.size);
    expect(new Map(map.entries())).toEqual(reference);
    for (let k = 0; k < 5_000; k++) expect(map.get(`disbursement-${k}`)).toBe(reference.get(`disbursement-${k}`));
    for (const v of versions) {
      expect(v.map.size).toBe(v.expected.size);
      expect(new Map(v.map.entries())).toEqual(v.expected);
    }
  });

  it("an unchanged map is returned as is; a missing key is absent", () => {
    const one = PersistentMap.empty<number>().set("a", 1);
    expect(one.set("a", 1)).toBe(one);
    expect(one.delete("b")).toBe(one);
    expect([one.has("b"), one.get("b"), one.delete("a").size, one.size]).toEqual([false, undefined, 0, 1]);
  });
});
