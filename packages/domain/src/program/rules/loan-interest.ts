import { z } from "zod";
import { InputsInvalid, LoanNotFound, NotCovered } from "../../shared/errors.js";
import { Id } from "../../shared/ids.js";
import { parsePeriod } from "../../shared/period.js";
import { loanSchedule } from "../../schedules/loan-schedule.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { ruleCommon } from "./rule-common.js";

/**
 * 小额贷款贴息/分红: the interest subsidy of a recorded loan, per period of the rule's granularity
 * (ACT/365 Fixed, see act-365.ts), and for enterprise-use loans the annual dividend (period = year).
 */
export const LoanInterestRule = z.strictObject({ kind: z.literal("loan_interest"), ...ruleCommon });
export type LoanInterestRule = z.infer<typeof LoanInterestRule>;

export const LoanComponent = z.enum(["interest_subsidy", "dividend"]);
export const LoanInterestInputs = z.strictObject({ kind: z.literal("loan_interest"), loanId: Id, component: LoanComponent });
export type LoanInterestInputs = z.infer<typeof LoanInterestInputs>;

export function computeLoanInterest(rule: LoanInterestRule, ctx: AmountContext<LoanInterestInputs>): AmountComputation {
  const loan = ctx.loan;
  if (!loan || loan.loanId !== ctx.inputs.loanId) throw new LoanNotFound(ctx.inputs.loanId);
  const schedule = loanSchedule(loan, rule.granularity);
  if (ctx.inputs.component === "dividend") {
    parsePeriod("year", ctx.periodText);
    if (loan.use !== "enterprise") throw new InputsInvalid(`loan ${loan.loanId} is for household use and owes no dividend`);
    const due = schedule.dividends.find((d) => d.period === ctx.periodText);
    if (!due) throw new NotCovered(`loan ${loan.loanId} owes no dividend in ${ctx.periodText}`);
    return {
      mode: "exact",
      amountFen: due.amountFen,
      inputs: { kind: rule.kind, loanId: loan.loanId, component: "dividend", dueOn: due.dueOn, annualDividendFen: due.amountFen },
    };
  }
  parsePeriod(rule.granularity, ctx.periodText);
  const p = schedule.interestSubsidy.find((s) => s.period === ctx.periodText);
  if (!p) throw new NotCovered(`loan ${loan.loanId} accrues no interest in ${ctx.periodText}`);
  return {
    mode: "exact",
    amountFen: p.subsidyFen,
    inputs: {
      kind: rule.kind,
      loanId: loan.loanId,
      component: "interest_subsidy",
      dayCount: "ACT/365F",
      principalFen: loan.principalFen,
      annualRateBps: loan.annualRateBps,
      subsidyShareBps: loan.subsidyShareBps,
      from: p.from,
      to: p.to,
      days: p.days,
      interestFen: p.interestFen,
    },
  };
}
