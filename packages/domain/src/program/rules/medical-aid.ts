import { z } from "zod";
import { InputsInvalid, NotCovered } from "../../shared/errors.js";
import { NonNegativeFen, floorDiv } from "../../shared/fen.js";
import { Id } from "../../shared/ids.js";
import { parsePeriod } from "../../shared/period.js";
import type { AmountComputation, AmountContext } from "./amount-context.js";
import { Bps, ruleCommon } from "./rule-common.js";

export const HospitalLevel = z.enum(["township", "county", "city_or_above"]);
export type HospitalLevel = z.infer<typeof HospitalLevel>;

/**
 * 健康扶贫, per person per claim. Two safety-net schemes as rule data:
 * - "351" (兜底): the patient's out-of-pocket cost is capped by hospital level; the government pays
 *   everything above the cap. (Anhui's 351 caps 3,000/5,000/10,000 yuan a year; here the cap applies
 *   per claim, its value is data.)
 * - "180" (补充医疗): reimburses reimbursementShareBps of what the patient still bears after 351
 *   (the cost up to the cap), floored to fen, within annualLimitFen per person per year.
 */
export const MedicalAidRule = z
  .strictObject({
    kind: z.literal("medical_aid"),
    ...ruleCommon,
    scheme351: z.strictObject({
      outOfPocketCapFen: z.strictObject({ township: NonNegativeFen, county: NonNegativeFen, city_or_above: NonNegativeFen }),
    }),
    scheme180: z.strictObject({ reimbursementShareBps: Bps, annualLimitFen: NonNegativeFen }),
  })
  .refine((r) => r.perMember, { message: "medical aid is paid per person: perMember must be true", path: ["perMember"] });
export type MedicalAidRule = z.infer<typeof MedicalAidRule>;

/**
 * A claim: `outOfPocketFen` is the compliant cost left after basic and critical-illness insurance;
 * `reimbursed180ThisYearFen` is what 180 already paid this person this calendar year (from the
 * read model), recorded so the annual limit can be audited and replayed.
 */
export const MedicalAidInputs = z.strictObject({
  kind: z.literal("medical_aid"),
  claimId: Id,
  hospitalLevel: HospitalLevel,
  outOfPocketFen: NonNegativeFen,
  reimbursed180ThisYearFen: NonNegativeFen,
});
export type MedicalAidInputs = z.infer<typeof MedicalAidInputs>;

export function computeMedicalAid(rule: MedicalAidRule, ctx: AmountContext<MedicalAidInputs>): AmountComputation {
  parsePeriod(rule.granularity, ctx.periodText);
  if (!ctx.member) throw new InputsInvalid("medical aid needs the patient's memberId");
  const { outOfPocketFen, hospitalLevel, reimbursed180ThisYearFen } = ctx.inputs;
  const capFen = rule.scheme351.outOfPocketCapFen[hospitalLevel];
  const paid351Fen = Math.max(0, outOfPocketFen - capFen);
  const patientShareFen = outOfPocketFen - paid351Fen;
  const roomFen = Math.max(0, rule.scheme180.annualLimitFen - reimbursed180ThisYearFen);
  const paid180Fen = Math.min(floorDiv(BigInt(patientShareFen) * BigInt(rule.scheme180.reimbursementShareBps), 10_000n), roomFen);
  const amountFen = paid351Fen + paid180Fen;
  if (amountFen === 0) throw new NotCovered(`claim ${ctx.inputs.claimId}: nothing to reimburse`);
  return {
    mode: "exact",
    amountFen,
    inputs: {
      kind: rule.kind,
      memberId: ctx.member.memberId,
      claimId: ctx.inputs.claimId,
      hospitalLevel,
      outOfPocketFen,
      outOfPocketCapFen: capFen,
      paid351Fen,
      reimbursementShareBps: rule.scheme180.reimbursementShareBps,
      annualLimitFen: rule.scheme180.annualLimitFen,
      reimbursed180ThisYearFen,
      paid180Fen,
    },
  };
}
