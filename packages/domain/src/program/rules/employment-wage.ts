import { z } from "zod";
import { PeriodInvalid } from "../../shared/errors.js";
import { PositiveFen, requireSafe } from "../../shared/fen.js";
import { monthsPerPeriod, parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { calendarRuleMessage, isCalendarRule, ruleCommon } from "./rule-common.js";

/** 就业/公益性岗位: wages of public-welfare posts and placed jobs, up to maxPerMonthFen per month of the period. */
export const EmploymentWageRule = z
  .strictObject({ kind: z.literal("employment_wage"), ...ruleCommon, maxPerMonthFen: PositiveFen })
  .refine(isCalendarRule, calendarRuleMessage);
export type EmploymentWageRule = z.infer<typeof EmploymentWageRule>;

export const EmploymentWageInputs = z.strictObject({ kind: z.literal("employment_wage"), post: z.string().min(1).exactOptional() });
export type EmploymentWageInputs = z.infer<typeof EmploymentWageInputs>;

export function computeEmploymentWage(rule: EmploymentWageRule, ctx: AmountContext<EmploymentWageInputs>): AmountComputation {
  const period = parsePeriod(rule.granularity, ctx.periodText);
  if (period.granularity === "one_off") throw new PeriodInvalid(ctx.periodText, "wages are paid per calendar period");
  const months = monthsPerPeriod(period.granularity);
  const capFen = requireSafe("capFen", rule.maxPerMonthFen * months);
  return {
    mode: "up_to",
    amountFen: capFen,
    inputs: { kind: rule.kind, maxPerMonthFen: rule.maxPerMonthFen, months, post: ctx.inputs.post ?? null },
  };
}
