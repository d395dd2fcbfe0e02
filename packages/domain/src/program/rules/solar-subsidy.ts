import { z } from "zod";
import { PositiveFen } from "../../shared/fen.js";
import { parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { calendarRuleMessage, isCalendarRule, ruleCommon } from "./rule-common.js";

/** 光伏扶贫: a fixed subsidy per household system per period (about 600 yuan a year). */
export const SolarSubsidyRule = z
  .strictObject({ kind: z.literal("solar_subsidy"), ...ruleCommon, amountPerPeriodFen: PositiveFen })
  .refine(isCalendarRule, calendarRuleMessage);
export type SolarSubsidyRule = z.infer<typeof SolarSubsidyRule>;

export const SolarSubsidyInputs = z.strictObject({ kind: z.literal("solar_subsidy") });
export type SolarSubsidyInputs = z.infer<typeof SolarSubsidyInputs>;

export function computeSolarSubsidy(rule: SolarSubsidyRule, ctx: AmountContext<SolarSubsidyInputs>): AmountComputation {
  parsePeriod(rule.granularity, ctx.periodText);
  return { mode: "exact", amountFen: rule.amountPerPeriodFen, inputs: { kind: rule.kind, amountPerPeriodFen: rule.amountPerPeriodFen } };
}
