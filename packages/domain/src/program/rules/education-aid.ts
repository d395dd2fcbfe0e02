import { z } from "zod";
import { SchoolLevel } from "../../household/household-member.js";
import { InputsInvalid, MemberNotStudent, NotCovered } from "../../shared/errors.js";
import { NonNegativeFen } from "../../shared/fen.js";
import { parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { ruleCommon } from "./rule-common.js";

/**
 * 教育扶贫: per student (a member) per term, by the member's school level. A level with 0 is
 * not funded by this program. Terms are usually half-years.
 */
export const EducationAidRule = z
  .strictObject({
    kind: z.literal("education_aid"),
    ...ruleCommon,
    amountPerTermFen: z.record(SchoolLevel, NonNegativeFen),
  })
  .refine((r) => r.perMember, { message: "education aid is paid per student: perMember must be true", path: ["perMember"] });
export type EducationAidRule = z.infer<typeof EducationAidRule>;

export const EducationAidInputs = z.strictObject({ kind: z.literal("education_aid") });
export type EducationAidInputs = z.infer<typeof EducationAidInputs>;

export function computeEducationAid(rule: EducationAidRule, ctx: AmountContext<EducationAidInputs>): AmountComputation {
  parsePeriod(rule.granularity, ctx.periodText);
  const member = ctx.member;
  if (!member) throw new InputsInvalid("education aid needs the student's memberId");
  // The level on record now: a wrong level is fixed by a MemberCorrected event before paying.
  const level = member.schoolLevel;
  if (level === null) throw new MemberNotStudent(member.memberId);
  const amountFen = rule.amountPerTermFen[level];
  if (amountFen === 0) throw new NotCovered(`school level ${level}`);
  return { mode: "exact", amountFen, inputs: { kind: rule.kind, memberId: member.memberId, schoolLevel: level, amountPerTermFen: amountFen } };
}
