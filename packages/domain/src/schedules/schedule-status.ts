import { type CalendarDate, compareDates } from "../shared/calendar-date.js";

/** paid, or unpaid and not yet past its due date (due), or unpaid after it (overdue). */
export type ScheduleStatus = "paid" | "due" | "overdue";

export function scheduleStatus(dueOn: CalendarDate, asOf: CalendarDate, paid: boolean): ScheduleStatus {
  if (paid) return "paid";
  return compareDates(asOf, dueOn) > 0 ? "overdue" : "due";
}
