import { describe, expect, it } from "vitest";
import { alternate, median, percentile } from "./lib.js";

describe("bench helpers", () => {
  it("median takes the middle, or the mean of the two middle values", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("percentile uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 99)).toBeNaN();
  });

  it("alternate swaps who goes first every round", async () => {
    const order: string[] = [];
    const out = await alternate(
      3,
      async (r) => {
        order.push(`a${r}`);
        return r;
      },
      async (r) => {
        order.push(`b${r}`);
        return r * 10;
      },
    );
    expect(order).toEqual(["a0", "b0", "b1", "a1", "a2", "b2"]);
    expect(out).toEqual({ a: [0, 1, 2], b: [0, 10, 20] });
  });
});

describe("bench flags", () => {
  it("reads a flag's value and refuses a non-positive number", async () => {
    const { flagValue, positiveFlag } = await import("./lib.js");
    expect(flagValue(["--runs", "5"], "--runs")).toBe("5");
    expect(flagValue([], "--runs")).toBeUndefined();
    expect(positiveFlag(["--runs", "3"], "--runs", 5)).toBe(3);
    expect(positiveFlag([], "--runs", 5)).toBe(5);
    expect(() => positiveFlag(["--runs", "0"], "--runs", 5)).toThrow(/positive number/);
  });
});
