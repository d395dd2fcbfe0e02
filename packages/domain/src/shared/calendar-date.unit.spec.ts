import { describe, expect, it } from "vitest";
import { CalendarDate, addDays, addMonths, dayNumber, daysBetween, fromDayNumber, parseDate } from "./calendar-date.js";
import { DateInvalid } from "./errors.js";

describe("calendar dates", () => {
  it("refuses impossible dates and non-ISO text", () => {
    for (const bad of ["2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-1-01", "20240101", "2024-01-01T00:00:00Z"]) {
      expect(CalendarDate.safeParse(bad).success, bad).toBe(false);
      expect(() => parseDate(bad)).toThrow(DateInvalid);
    }
    expect(CalendarDate.safeParse("2024-02-29").success).toBe(true);
  });

  it("day numbers round-trip and start at the Unix epoch", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2000-03-01")).toBe(11017);
    for (const d of ["1999-12-31", "2024-02-29", "2100-03-01", "2400-02-29"]) expect(fromDayNumber(dayNumber(d))).toBe(d);
  });

  it("counts actual days: a leap year has 366", () => {
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2023-01-01", "2024-01-01")).toBe(365);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });

  it("adds months clamping to the month's end", () => {
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2023-01-31", 1)).toBe("2023-02-28");
    expect(addMonths("2024-03-15", 12)).toBe("2025-03-15");
    expect(addMonths("2024-11-30", 3)).toBe("2025-02-28");
  });
});
