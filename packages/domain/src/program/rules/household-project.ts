import { z } from "zod";
import { parsePeriod } from "../../shared/period.js";
import { PositiveFen } from "../../shared/fen.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { ruleCommon } from "./rule-common.js";

/** 到户项目资金: a grant per household (usually one_off) for family farming, capped per household. */
export const HouseholdProjectRule = z.strictObject({
  kind: z.literal("household_project"),
  ...ruleCommon,
  capPerHouseholdFen: PositiveFen,
});
export type HouseholdProjectRule = z.infer<typeof HouseholdProjectRule>;

export const HouseholdProjectInputs = z.strictObject({ kind: z.literal("household_project") });
export type HouseholdProjectInputs = z.infer<typeof HouseholdProjectInputs>;

export function computeHouseholdProject(rule: HouseholdProjectRule, ctx: AmountContext<HouseholdProjectInputs>): AmountComputation {
  parsePeriod(rule.granularity, ctx.periodText);
  return { mode: "up_to", amountFen: rule.capPerHouseholdFen, inputs: { kind: rule.kind, capPerHouseholdFen: rule.capPerHouseholdFen } };
}
