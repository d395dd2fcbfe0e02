import { describe, expect, it } from "vitest";
import { PeriodInvalid } from "./errors.js";
import { type Granularity, PeriodText, parsePeriod, periodContaining } from "./period.js";

describe("parsePeriod", () => {
  it.each([
    ["month", "2024-03", { year: 2024, index: 3, startsOn: "2024-03-01", endsOn: "2024-03-31" }],
    ["month", "2024-02", { year: 2024, index: 2, startsOn: "2024-02-01", endsOn: "2024-02-29" }],
    ["month", "2023-12", { year: 2023, index: 12, startsOn: "2023-12-01", endsOn: "2023-12-31" }],
    ["quarter", "2024-Q1", { year: 2024, index: 1, startsOn: "2024-01-01", endsOn: "2024-03-31" }],
    ["quarter", "2024-Q4", { year: 2024, index: 4, startsOn: "2024-10-01", endsOn: "2024-12-31" }],
    ["half_year", "2024-H1", { year: 2024, index: 1, startsOn: "2024-01-01", endsOn: "2024-06-30" }],
    ["half_year", "2024-H2", { year: 2024, index: 2, startsOn: "2024-07-01", endsOn: "2024-12-31" }],
    ["year", "2024", { year: 2024, index: 1, startsOn: "2024-01-01", endsOn: "2024-12-31" }],
  ] as const)("%s %s", (granularity, text, expected) => {
    expect(parsePeriod(granularity, text)).toEqual({ granularity, key: text, ...expected });
  });

  it("one_off takes exactly 'once'", () => {
    expect(parsePeriod("one_off", "once")).toEqual({ granularity: "one_off", key: "once" });
  });

  const bad: Record<Granularity, string[]> = {
    month: ["2024-3", "2024-13", "2024-00", "2024-Q1", "2024", "24-03", " 2024-03", "2024-03 ", "2024/03", "", "0999-01"],
    quarter: ["2024-Q0", "2024-Q5", "2024-q1", "2024Q1", "2024-Q01", "2024-03", "2024-H1", ""],
    half_year: ["2024-H0", "2024-H3", "2024-h1", "2024-S1", "2024-Q1", "2024", ""],
    year: ["24", "20245", "2024-01", "2024-Y", " 2024", "once", ""],
    one_off: ["Once", "ONCE", "2024", "", "once "],
  };
  for (const [granularity, texts] of Object.entries(bad) as [Granularity, string[]][]) {
    it.each(texts)(`refuses %j as a ${granularity} with period_invalid`, (text) => {
      expect(() => parsePeriod(granularity, text)).toThrow(PeriodInvalid);
      try {
        parsePeriod(granularity, text);
      } catch (e) {
        expect(e).toMatchObject({ code: "period_invalid" });
      }
    });
  }

  it("a period of another granularity is refused (slot keys must be canonical)", () => {
    expect(() => parsePeriod("quarter", "2024-03")).toThrow(PeriodInvalid);
    expect(() => parsePeriod("month", "2024")).toThrow(PeriodInvalid);
  });

  it("PeriodText accepts any canonical form", () => {
    for (const ok of ["2024-03", "2024-Q2", "2024-H1", "2024", "once"]) expect(PeriodText.safeParse(ok).success).toBe(true);
    expect(PeriodText.safeParse("2024-Q9").success).toBe(false);
  });

  it("finds the period containing a date", () => {
    expect(periodContaining("quarter", "2024-05-17").key).toBe("2024-Q2");
    expect(periodContaining("half_year", "2024-07-01").key).toBe("2024-H2");
    expect(periodContaining("month", "2024-12-31").key).toBe("2024-12");
  });
});
