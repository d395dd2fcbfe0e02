import { z } from "zod";
import { DateInvalid } from "./errors.js";

/**
 * A calendar date "YYYY-MM-DD" with no time zone: payment and effective dates are civil dates.
 * Arithmetic is done on day numbers (days since 1970-01-01) with Howard Hinnant's civil algorithms,
 * so nothing depends on the host's clock or time zone.
 */
export type CalendarDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function check(text: string): CivilDate | string {
  const m = DATE_RE.exec(text);
  if (!m) return "expected YYYY-MM-DD";
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1000) return "year out of range";
  if (month < 1 || month > 12) return "month out of range";
  if (day < 1 || day > daysInMonth(year, month)) return "day out of range";
  return { year, month, day };
}

/** zod schema of a valid calendar date (2024-02-30 is refused). */
export const CalendarDate = z.string().refine((s) => typeof check(s) !== "string", { message: "invalid calendar date" });

/** Parses "YYYY-MM-DD" or throws date_invalid. */
export function parseDate(text: string): CivilDate {
  const r = check(text);
  if (typeof r === "string") throw new DateInvalid(text, r);
  return r;
}

export function formatDate({ year, month, day }: CivilDate): CalendarDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Days since 1970-01-01 of a civil date. */
export function dayNumber(date: CalendarDate): number {
  const { year, month, day } = parseDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function fromDayNumber(n: number): CalendarDate {
  const z0 = n + 719468;
  const era = Math.floor(z0 / 146097);
  const doe = z0 - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return formatDate({ year, month, day });
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Actual days from `from` (inclusive) to `to` (exclusive). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Adds calendar months, clamping to the month's last day (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** Negative, zero or positive like a comparator; ISO dates compare as strings once validated. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  parseDate(a);
  parseDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
