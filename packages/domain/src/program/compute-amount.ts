import { InputsInvalid, UnknownCommand } from "../shared/errors.js";
import type { AmountComputation, AmountContext } from "./rules/amount-context.js";
import { computeDibao } from "./rules/dibao.js";
import { computeEducationAid } from "./rules/education-aid.js";
import { computeEmploymentWage } from "./rules/employment-wage.js";
import { computeEnterpriseDividend } from "./rules/enterprise-dividend.js";
import { computeHouseholdProject } from "./rules/household-project.js";
import { computeHousingRenovation } from "./rules/housing-renovation.js";
import { computeLoanInterest } from "./rules/loan-interest.js";
import { computeMedicalAid } from "./rules/medical-aid.js";
import { computeSolarSubsidy } from "./rules/solar-subsidy.js";
import type { DisbursementInputs, ProgramRule } from "./program-rule.js";

function inputsOf<K extends DisbursementInputs["kind"]>(kind: K, inputs: DisbursementInputs): Extract<DisbursementInputs, { kind: K }> {
  if (inputs.kind !== kind) throw new InputsInvalid(`inputs are for ${inputs.kind}, the program pays ${kind}`);
  return inputs as Extract<DisbursementInputs, { kind: K }>;
}

/**
 * The amount a rule gives for one payment, with the inputs that justify it. Pure: the same rule,
 * inputs and states always give the same answer, which is what makes a replay reproduce amounts.
 * Throws period_invalid, inputs_invalid, not_covered, stake_not_found, loan_not_found...
 */
export function computeAmount(rule: ProgramRule, ctx: AmountContext<DisbursementInputs>): AmountComputation {
  const c = <K extends DisbursementInputs["kind"]>(kind: K) => ({ ...ctx, inputs: inputsOf(kind, ctx.inputs) });
  const result = ((): AmountComputation => {
    switch (rule.kind) {
      case "household_project":
        return computeHouseholdProject(rule, c(rule.kind));
      case "enterprise_dividend":
        return computeEnterpriseDividend(rule, c(rule.kind));
      case "loan_interest":
        return computeLoanInterest(rule, c(rule.kind));
      case "solar_subsidy":
        return computeSolarSubsidy(rule, c(rule.kind));
      case "education_aid":
        return computeEducationAid(rule, c(rule.kind));
      case "medical_aid":
        return computeMedicalAid(rule, c(rule.kind));
      case "housing_renovation":
        return computeHousingRenovation(rule, c(rule.kind));
      case "dibao":
        return computeDibao(rule, c(rule.kind));
      case "employment_wage":
        return computeEmploymentWage(rule, c(rule.kind));
      default: {
        const _exhaustive: never = rule;
        throw new UnknownCommand(_exhaustive);
      }
    }
  })();
  return { ...result, inputs: { ...result.inputs, ruleVersion: rule.version } };
}
