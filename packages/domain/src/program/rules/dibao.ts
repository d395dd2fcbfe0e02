import { z } from "zod";
import { PeriodInvalid } from "../../shared/errors.js";
import { PositiveFen, requireSafe } from "../../shared/fen.js";
import { parsePeriod, periodsPerYear } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { calendarRuleMessage, isCalendarRule, ruleCommon } from "./rule-common.js";

/** 低保: annual standard per person (e.g. 3,800 yuan) × members, paid per period to the household. */
export const DibaoRule = z
  .strictObject({ kind: z.literal("dibao"), ...ruleCommon, annualStandardPerPersonFen: PositiveFen })
  .refine(isCalendarRule, calendarRuleMessage)
  .refine((r) => !r.perMember, { message: "dibao is paid to the household: perMember must be false", path: ["perMember"] });
export type DibaoRule = z.infer<typeof DibaoRule>;

export const DibaoInputs = z.strictObject({ kind: z.literal("dibao") });
export type DibaoInputs = z.infer<typeof DibaoInputs>;

/**
 * The payment of period `index` (1-based) of `periods` for an annual amount: floor(annual ÷ periods),
 * and the last period of the year also gets the remainder, so the year sums exactly to the annual
 * amount — never a fen more or less.
 */
export function splitAnnual(annualFen: number, periods: number, index: number): { amountFen: number; remainderFen: number } {
  const base = Math.floor(annualFen / periods);
  const remainder = annualFen - base * periods;
  return index === periods ? { amountFen: base + remainder, remainderFen: remainder } : { amountFen: base, remainderFen: 0 };
}

/** Members are counted as on record when paying; the year sums exactly while the household size holds. */
export function computeDibao(rule: DibaoRule, ctx: AmountContext<DibaoInputs>): AmountComputation {
  const period = parsePeriod(rule.granularity, ctx.periodText);
  if (period.granularity === "one_off") throw new PeriodInvalid(ctx.periodText, "dibao is paid per calendar period");
  const members = ctx.household.members.length;
  const annualFen = requireSafe("annualFen", rule.annualStandardPerPersonFen * members);
  const periods = periodsPerYear(period.granularity);
  const { amountFen, remainderFen } = splitAnnual(annualFen, periods, period.index);
  return {
    mode: "exact",
    amountFen,
    inputs: {
      kind: rule.kind,
      annualStandardPerPersonFen: rule.annualStandardPerPersonFen,
      members,
      annualFen,
      periodsPerYear: periods,
      periodIndex: period.index,
      remainderFen,
    },
  };
}
