import { describe, expect, it } from "vitest";
import type { LoanRecorded } from "../loan/loan.js";
import { act365InterestFen } from "./act-365.js";
import { dividendSchedule } from "./dividend-schedule.js";
import { loanDividendStatus, loanSchedule } from "./loan-schedule.js";

const loan = (overrides: Partial<LoanRecorded["data"]> = {}): LoanRecorded["data"] => ({
  loanId: "l1",
  householdId: "h1",
  principalFen: 1_000_000,
  annualRateBps: 365,
  termMonths: 12,
  use: "household",
  issuedOn: "2024-01-01",
  subsidyShareBps: 10_000,
  annualDividendFen: null,
  ...overrides,
});

describe("ACT/365 Fixed", () => {
  it("a leap year has 366 days, each worth 1/365 of a year's interest", () => {
    // 10,000 yuan at 3.65 % accrues 100 fen a day; 2024 has 366 days → 36,600 fen, more than the nominal 36,500.
    expect(act365InterestFen(1_000_000, 365, 366)).toBe(36_600);
    expect(act365InterestFen(1_000_000, 365, 365)).toBe(36_500);
    const [leap] = loanSchedule(loan(), "year").interestSubsidy;
    expect(leap).toMatchObject({ period: "2024", from: "2024-01-01", to: "2025-01-01", days: 366, interestFen: 36_600 });
    const [common] = loanSchedule(loan({ issuedOn: "2023-01-01" }), "year").interestSubsidy;
    expect(common).toMatchObject({ days: 365, interestFen: 36_500 });
  });

  it("floors to fen once per period: 5,000,000 × 4.35 % × 366/365 = 218,095.89 → 218,095", () => {
    expect(act365InterestFen(5_000_000, 435, 366)).toBe(218_095);
  });

  it("February of a leap year has 29 days of interest", () => {
    const feb = loanSchedule(loan({ issuedOn: "2024-02-01", termMonths: 1 }), "month").interestSubsidy;
    expect(feb).toEqual([{ period: "2024-02", from: "2024-02-01", to: "2024-03-01", days: 29, interestFen: 2_900, subsidyFen: 2_900 }]);
  });

  it("stays exact beyond 2^53 intermediate products", () => {
    // 9e12 fen × 10000 bps × 366 days = 3.3e19 > 2^53: computed in bigint.
    expect(act365InterestFen(9_000_000_000_000, 10_000, 365)).toBe(9_000_000_000_000);
  });
});

describe("loan schedule", () => {
  it("cuts a mid-quarter loan at calendar quarter boundaries, first and last periods partial", () => {
    const s = loanSchedule(loan({ issuedOn: "2024-02-15", termMonths: 6, subsidyShareBps: 5_000 }), "quarter");
    expect(s.maturesOn).toBe("2024-08-15");
    expect(s.interestSubsidy.map((p) => [p.period, p.from, p.to, p.days])).toEqual([
      ["2024-Q1", "2024-02-15", "2024-04-01", 46],
      ["2024-Q2", "2024-04-01", "2024-07-01", 91],
      ["2024-Q3", "2024-07-01", "2024-08-15", 45],
    ]);
    expect(s.interestSubsidy.reduce((a, p) => a + p.days, 0)).toBe(182);
    expect(s.interestSubsidy[0]).toMatchObject({ interestFen: 4_600, subsidyFen: 2_300 });
  });

  it("enterprise-use loans owe the annual dividend on each anniversary within the term", () => {
    const s = loanSchedule(loan({ use: "enterprise", annualDividendFen: 350_000, termMonths: 36, issuedOn: "2023-06-01" }), "quarter");
    expect(s.dividends).toEqual([
      { period: "2024", dueOn: "2024-06-01", amountFen: 350_000 },
      { period: "2025", dueOn: "2025-06-01", amountFen: 350_000 },
      { period: "2026", dueOn: "2026-06-01", amountFen: 350_000 },
    ]);
    expect(loanDividendStatus(s, "2025-07-01", new Set(["2024"])).map((d) => d.status)).toEqual(["paid", "overdue", "due"]);
    expect(loanSchedule(loan(), "quarter").dividends).toEqual([]);
  });

  it("a one-off subsidy covers the whole term", () => {
    expect(loanSchedule(loan({ termMonths: 24, issuedOn: "2023-03-01" }), "one_off").interestSubsidy).toEqual([
      { period: "once", from: "2023-03-01", to: "2025-03-01", days: 731, interestFen: 73_100, subsidyFen: 73_100 },
    ]);
  });
});

describe("dividend schedule of a stake", () => {
  const stake = {
    stakeId: "s1",
    householdId: "h1",
    enterprise: "塔桥明利蔬菜基地",
    investedFen: 1_000_000,
    annualDividendFen: 60_000,
    firstYear: 2023,
    years: 3,
  };
  it("one dividend a year, due 31 December, paid / due / overdue as of a date", () => {
    expect(dividendSchedule(stake, "2024-12-31", new Set([2023]))).toEqual([
      { year: 2023, period: "2023", dueOn: "2023-12-31", amountFen: 60_000, status: "paid" },
      { year: 2024, period: "2024", dueOn: "2024-12-31", amountFen: 60_000, status: "due" },
      { year: 2025, period: "2025", dueOn: "2025-12-31", amountFen: 60_000, status: "due" },
    ]);
    expect(dividendSchedule(stake, "2025-01-01", new Set([2023])).map((d) => d.status)).toEqual(["paid", "overdue", "due"]);
  });
});
