import { z } from "zod";
import { DibaoInputs, DibaoRule } from "./rules/dibao.js";
import { EducationAidInputs, EducationAidRule } from "./rules/education-aid.js";
import { EmploymentWageInputs, EmploymentWageRule } from "./rules/employment-wage.js";
import { EnterpriseDividendInputs, EnterpriseDividendRule } from "./rules/enterprise-dividend.js";
import { HouseholdProjectInputs, HouseholdProjectRule } from "./rules/household-project.js";
import { HousingRenovationInputs, HousingRenovationRule } from "./rules/housing-renovation.js";
import { LoanInterestInputs, LoanInterestRule } from "./rules/loan-interest.js";
import { MedicalAidInputs, MedicalAidRule } from "./rules/medical-aid.js";
import { SolarSubsidyInputs, SolarSubsidyRule } from "./rules/solar-subsidy.js";

/** The kinds of support of SPEC.md. */
export const ProgramKind = z.enum([
  "household_project",
  "enterprise_dividend",
  "loan_interest",
  "solar_subsidy",
  "education_aid",
  "medical_aid",
  "housing_renovation",
  "dibao",
  "employment_wage",
]);
export type ProgramKind = z.infer<typeof ProgramKind>;

/** A program's rule: versioned data, discriminated by `kind`. */
export const ProgramRule = z.discriminatedUnion("kind", [
  HouseholdProjectRule,
  EnterpriseDividendRule,
  LoanInterestRule,
  SolarSubsidyRule,
  EducationAidRule,
  MedicalAidRule,
  HousingRenovationRule,
  DibaoRule,
  EmploymentWageRule,
]);
export type ProgramRule = z.infer<typeof ProgramRule>;

/** Kind-specific inputs a disbursement request carries (optional for kinds that need none). */
export const DisbursementInputs = z.discriminatedUnion("kind", [
  HouseholdProjectInputs,
  EnterpriseDividendInputs,
  LoanInterestInputs,
  SolarSubsidyInputs,
  EducationAidInputs,
  MedicalAidInputs,
  HousingRenovationInputs,
  DibaoInputs,
  EmploymentWageInputs,
]);
export type DisbursementInputs = z.infer<typeof DisbursementInputs>;
