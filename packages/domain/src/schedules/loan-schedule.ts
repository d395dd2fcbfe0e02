import { type CalendarDate, addMonths, compareDates, daysBetween } from "../shared/calendar-date.js";
import { type Granularity, calendarPeriod, periodContaining, periodsPerYear } from "../shared/period.js";
import type { LoanRecorded } from "../loan/loan.js";
import { act365InterestFen, shareOfFen } from "./act-365.js";
import { type ScheduleStatus, scheduleStatus } from "./schedule-status.js";

export interface InterestSubsidyPeriod {
  /** Period text a subsidy payment uses (the program rule's granularity; "once" for one_off). */
  period: string;
  /** Accrual start, inclusive. */
  from: CalendarDate;
  /** Accrual end, exclusive (also the due date of the subsidy). */
  to: CalendarDate;
  days: number;
  /** ACT/365 interest on the principal for these days, floored to fen. */
  interestFen: number;
  /** subsidyShareBps of that interest, floored to fen. */
  subsidyFen: number;
}

export interface LoanDividendDue {
  /** Period text a dividend payment uses: the calendar year of its due date. */
  period: string;
  dueOn: CalendarDate;
  amountFen: number;
}

export interface LoanSchedule {
  maturesOn: CalendarDate;
  interestSubsidy: InterestSubsidyPeriod[];
  dividends: LoanDividendDue[];
}

/** The day the loan is repaid: issuedOn + termMonths (month-end clamped); interest accrues until the day before. */
export function loanMaturity(loan: LoanRecorded["data"]): CalendarDate {
  return addMonths(loan.issuedOn, loan.termMonths);
}

/**
 * The loan's interest-subsidy periods and, for enterprise use, its annual dividends.
 * Interest accrues from issuedOn (inclusive) to maturity (exclusive) on the full principal
 * (microloans of this scheme repay at maturity) and is cut at the calendar boundaries of
 * `granularity`; each piece is ACT/365 and floored on its own, so the schedule is what is paid.
 * Dividends fall on each full anniversary of issuedOn within the term.
 */
export function loanSchedule(loan: LoanRecorded["data"], granularity: Granularity): LoanSchedule {
  const maturesOn = loanMaturity(loan);
  const interestSubsidy: InterestSubsidyPeriod[] = [];
  const piece = (period: string, from: CalendarDate, to: CalendarDate) => {
    const days = daysBetween(from, to);
    const interestFen = act365InterestFen(loan.principalFen, loan.annualRateBps, days);
    interestSubsidy.push({ period, from, to, days, interestFen, subsidyFen: shareOfFen(interestFen, loan.subsidyShareBps) });
  };
  if (granularity === "one_off") {
    piece("once", loan.issuedOn, maturesOn);
  } else {
    let from = loan.issuedOn;
    while (compareDates(from, maturesOn) < 0) {
      const p = periodContaining(granularity, from);
      const next = p.index === periodsPerYear(granularity) ? calendarPeriod(granularity, p.year + 1, 1) : calendarPeriod(granularity, p.year, p.index + 1);
      const to = compareDates(next.startsOn, maturesOn) < 0 ? next.startsOn : maturesOn;
      piece(p.key, from, to);
      from = to;
    }
  }
  const dividends: LoanDividendDue[] = [];
  if (loan.use === "enterprise" && loan.annualDividendFen !== null) {
    for (let k = 1; k * 12 <= loan.termMonths; k++) {
      const dueOn = addMonths(loan.issuedOn, 12 * k);
      dividends.push({ period: dueOn.slice(0, 4), dueOn, amountFen: loan.annualDividendFen });
    }
  }
  return { maturesOn, interestSubsidy, dividends };
}

/** Dividend due dates with their status as of a date, given the periods already paid. */
export function loanDividendStatus(
  schedule: LoanSchedule,
  asOf: CalendarDate,
  paidPeriods: ReadonlySet<string> = new Set(),
): (LoanDividendDue & { status: ScheduleStatus })[] {
  return schedule.dividends.map((d) => ({ ...d, status: scheduleStatus(d.dueOn, asOf, paidPeriods.has(d.period)) }));
}
