import type { CalendarDate } from "../shared/calendar-date.js";
import type { StakeRecorded } from "../stake/stake.js";
import { type ScheduleStatus, scheduleStatus } from "./schedule-status.js";

export interface DividendDue {
  year: number;
  /** The period text a payment of this dividend uses (a "year" period). */
  period: string;
  dueOn: CalendarDate;
  amountFen: number;
  status: ScheduleStatus;
}

/**
 * The annual dividends a stake's enterprise owes: one per year firstYear..firstYear+years−1,
 * due on 31 December of that year. `paidYears` comes from recorded, unreversed payments.
 */
export function dividendSchedule(
  stake: StakeRecorded["data"],
  asOf: CalendarDate,
  paidYears: ReadonlySet<number> = new Set(),
): DividendDue[] {
  return Array.from({ length: stake.years }, (_, i) => {
    const year = stake.firstYear + i;
    const dueOn = `${year}-12-31`;
    return { year, period: String(year), dueOn, amountFen: stake.annualDividendFen, status: scheduleStatus(dueOn, asOf, paidYears.has(year)) };
  });
}
