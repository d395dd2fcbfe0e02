import { z } from "zod";
import { InputsInvalid, NotCovered, StakeNotFound } from "../../shared/errors.js";
import { Id } from "../../shared/ids.js";
import { parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { ruleCommon } from "./rule-common.js";

/** 龙头企业入股分红: pays the stake's fixed annual dividend, once per stake and year. */
export const EnterpriseDividendRule = z
  .strictObject({ kind: z.literal("enterprise_dividend"), ...ruleCommon })
  .refine((r) => r.granularity === "year", { message: "dividends are annual: granularity must be year", path: ["granularity"] });
export type EnterpriseDividendRule = z.infer<typeof EnterpriseDividendRule>;

export const EnterpriseDividendInputs = z.strictObject({ kind: z.literal("enterprise_dividend"), stakeId: Id });
export type EnterpriseDividendInputs = z.infer<typeof EnterpriseDividendInputs>;

export function computeEnterpriseDividend(rule: EnterpriseDividendRule, ctx: AmountContext<EnterpriseDividendInputs>): AmountComputation {
  const period = parsePeriod("year", ctx.periodText);
  if (period.granularity === "one_off") throw new InputsInvalid("dividend periods are years");
  const stake = ctx.stake;
  if (!stake || stake.stakeId !== ctx.inputs.stakeId) throw new StakeNotFound(ctx.inputs.stakeId);
  const lastYear = stake.firstYear + stake.years - 1;
  if (period.year < stake.firstYear || period.year > lastYear) {
    throw new NotCovered(`stake ${stake.stakeId} pays dividends for ${stake.firstYear}..${lastYear}, not ${period.year}`);
  }
  return {
    mode: "exact",
    amountFen: stake.annualDividendFen,
    inputs: { kind: rule.kind, stakeId: stake.stakeId, year: period.year, annualDividendFen: stake.annualDividendFen },
  };
}
