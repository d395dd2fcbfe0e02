import { z } from "zod";
import { type CalendarDate, addDays, formatDate } from "./calendar-date.js";
import { PeriodInvalid } from "./errors.js";

/** How often a program pays. `one_off` means once per beneficiary per program, its period text is "once". */
export const Granularity = z.enum(["month", "quarter", "half_year", "year", "one_off"]);
export type Granularity = z.infer<typeof Granularity>;
export type CalendarGranularity = Exclude<Granularity, "one_off">;

/** A calendar period: `index` is 1-based within the year (month 1..12, quarter 1..4, half 1..2, year 1). */
export interface CalendarPeriod {
  granularity: CalendarGranularity;
  /** Canonical text, the only spelling accepted, so slot keys can never differ by case or padding. */
  key: string;
  year: number;
  index: number;
  /** First day, inclusive. */
  startsOn: CalendarDate;
  /** Last day, inclusive. */
  endsOn: CalendarDate;
}
export interface OneOffPeriod {
  granularity: "one_off";
  key: "once";
}
export type Period = CalendarPeriod | OneOffPeriod;

const PATTERNS: Record<CalendarGranularity, { re: RegExp; example: string; max: number; months: number }> = {
  month: { re: /^(\d{4})-(\d{2})$/, example: "2024-03", max: 12, months: 1 },
  quarter: { re: /^(\d{4})-Q(\d)$/, example: "2024-Q1", max: 4, months: 3 },
  half_year: { re: /^(\d{4})-H(\d)$/, example: "2024-H1", max: 2, months: 6 },
  year: { re: /^(\d{4})$/, example: "2024", max: 1, months: 12 },
};

/** Periods in one year: 12, 4, 2 or 1. */
export function periodsPerYear(granularity: CalendarGranularity): number {
  return PATTERNS[granularity].max;
}

/** Months in one period: 1, 3, 6 or 12. */
export function monthsPerPeriod(granularity: CalendarGranularity): number {
  return PATTERNS[granularity].months;
}

/** Builds the calendar period of `year` and 1-based `index`. */
export function calendarPeriod(granularity: CalendarGranularity, year: number, index: number): CalendarPeriod {
  const { max, months } = PATTERNS[granularity];
  if (!Number.isInteger(index) || index < 1 || index > max) throw new RangeError(`index ${index} out of 1..${max}`);
  const key =
    granularity === "month"
      ? `${year}-${String(index).padStart(2, "0")}`
      : granularity === "quarter"
        ? `${year}-Q${index}`
        : granularity === "half_year"
          ? `${year}-H${index}`
          : `${year}`;
  const startMonth = (index - 1) * months + 1;
  const startsOn = formatDate({ year, month: startMonth, day: 1 });
  const nextStart =
    startMonth + months > 12 ? formatDate({ year: year + 1, month: 1, day: 1 }) : formatDate({ year, month: startMonth + months, day: 1 });
  return { granularity, key, year, index, startsOn, endsOn: addDays(nextStart, -1) };
}

/** Parses a period of the given granularity; anything but the canonical spelling throws period_invalid. */
export function parsePeriod(granularity: Granularity, text: string): Period {
  if (granularity === "one_off") {
    if (text !== "once") throw new PeriodInvalid(text, 'a one-off program takes the period "once"');
    return { granularity, key: "once" };
  }
  const { re, example, max } = PATTERNS[granularity];
  const m = re.exec(text);
  if (!m) throw new PeriodInvalid(text, `expected a ${granularity} like "${example}"`);
  const year = Number(m[1]);
  const index = m[2] === undefined ? 1 : Number(m[2]);
  if (year < 1000) throw new PeriodInvalid(text, "year out of range");
  if (index < 1 || index > max) throw new PeriodInvalid(text, `index must be 1..${max}`);
  return calendarPeriod(granularity, year, index);
}

/** The calendar period of `granularity` containing `date`. */
export function periodContaining(granularity: CalendarGranularity, date: CalendarDate): CalendarPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return calendarPeriod(granularity, year, Math.floor((month - 1) / monthsPerPeriod(granularity)) + 1);
}

/** Whether `text` is a canonical period of any granularity (allocations may name any period). */
export function isPeriodText(text: string): boolean {
  return (["month", "quarter", "half_year", "year", "one_off"] as const).some((g) => {
    try {
      parsePeriod(g, text);
      return true;
    } catch {
      return false;
    }
  });
}

/** zod schema of a period text of any granularity. */
export const PeriodText = z.string().refine(isPeriodText, { message: "invalid period" });
