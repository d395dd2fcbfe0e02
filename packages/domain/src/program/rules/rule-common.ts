import { z } from "zod";
import { NonNegativeFen } from "../../shared/fen.js";
import { Granularity } from "../../shared/period.js";

/** Fields every program rule has, whatever its kind. */
export const ruleCommon = {
  /** 1 for the first rule of a program, n+1 for each revision. */
  version: z.int().min(1),
  /** Payments strictly above this need a second signature (pending_approval). */
  approvalThresholdFen: NonNegativeFen,
  granularity: Granularity,
  /** 脱贫不脱政策: months support continues after a household's exit; 0 = none. */
  postExitMonths: z.int().min(0).max(120),
  /** Paid per person (beneficiary = member) rather than per household. */
  perMember: z.boolean(),
};

/** Basis points 0..10000 (10000 = 100 %). */
export const Bps = z.int().min(0).max(10_000);

/** Refinement for kinds that pay per calendar period. */
export const isCalendarRule = (r: { granularity: Granularity }): boolean => r.granularity !== "one_off";
export const calendarRuleMessage = { message: "this kind pays per calendar period, not one-off", path: ["granularity"] };
