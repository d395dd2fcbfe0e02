import { describe, expect, it } from "vitest";
import { isoTime } from "./iso-time.js";

describe("isoTime", () => {
  it("prints exactly what toISOString prints, across days, centuries, before 1970 and at the ends of the range", () => {
    const edges = [0, -1, 1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 1_719_738_000_123, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_000, -62_167_219_200_001, 8.64e15, -8.64e15];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const spread = Array.from({ length: 20_000 }, (_, i) => Math.round((random() - 0.5) * (i % 2 === 0 ? 2 * 8.64e15 : 4e12)));
    // Runs of nearby times, as a batch's events are: the day prefix is reused and must change at midnight.
    const runs = Array.from({ length: 5_000 }, (_, i) => 1_719_700_000_000 + i * 37_771);
    for (const ms of [...edges, ...spread, ...runs]) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it("throws on an invalid date, as toISOString does", () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
