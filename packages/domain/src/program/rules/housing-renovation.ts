import { z } from "zod";
import { NotCovered } from "../../shared/errors.js";
import { NonNegativeFen } from "../../shared/fen.js";
import { parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { ruleCommon } from "./rule-common.js";

/** 危房改造 renovation types, as the report lists them. */
export const RenovationType = z.enum(["renovateInPlace", "rebuildElsewhere", "rebuildInPlace", "repairReinforce", "newBuildNoHouse", "maintenance"]);
export type RenovationType = z.infer<typeof RenovationType>;

/** 危房改造: a fixed amount per household by renovation type; a type with 0 is not funded. */
export const HousingRenovationRule = z.strictObject({
  kind: z.literal("housing_renovation"),
  ...ruleCommon,
  amountPerTypeFen: z.record(RenovationType, NonNegativeFen),
});
export type HousingRenovationRule = z.infer<typeof HousingRenovationRule>;

export const HousingRenovationInputs = z.strictObject({ kind: z.literal("housing_renovation"), renovationType: RenovationType });
export type HousingRenovationInputs = z.infer<typeof HousingRenovationInputs>;

export function computeHousingRenovation(rule: HousingRenovationRule, ctx: AmountContext<HousingRenovationInputs>): AmountComputation {
  parsePeriod(rule.granularity, ctx.periodText);
  const type = ctx.inputs.renovationType;
  const amountFen = rule.amountPerTypeFen[type];
  if (amountFen === 0) throw new NotCovered(`renovation type ${type}`);
  return { mode: "exact", amountFen, inputs: { kind: rule.kind, renovationType: type, amountPerTypeFen: amountFen } };
}
