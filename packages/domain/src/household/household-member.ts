import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { Id } from "../shared/ids.js";
import { SealedPii } from "../shared/sealed-pii.js";

/** School levels of education aid; `yulu` is 雨露计划 (vocational-training aid), listed beside the levels. */
export const SchoolLevel = z.enum(["preschool", "primary", "middle", "high", "vocational", "university", "yulu"]);
export type SchoolLevel = z.infer<typeof SchoolLevel>;

export const Relation = z.enum(["head", "spouse", "child", "child_in_law", "parent", "grandparent", "grandchild", "sibling", "other"]);
export type Relation = z.infer<typeof Relation>;

export const Health = z.enum(["healthy", "chronic_illness", "serious_illness", "disabled"]);
export type Health = z.infer<typeof Health>;

/** 致贫原因: the official causes of poverty; `dibao_wubao` as the report counts it beside illness. */
export const PovertyCause = z.enum([
  "illness",
  "disability",
  "education",
  "disaster",
  "lack_of_land",
  "lack_of_water",
  "lack_of_skills",
  "lack_of_labour",
  "lack_of_funds",
  "poor_transport",
  "lack_of_motivation",
  "dibao_wubao",
  "other",
]);
export type PovertyCause = z.infer<typeof PovertyCause>;

export const Member = z.strictObject({
  memberId: Id,
  name: z.string().min(1),
  nationalId: SealedPii,
  birthDate: CalendarDate,
  relation: Relation,
  schoolLevel: SchoolLevel.nullable(),
  health: Health,
});
export type Member = z.infer<typeof Member>;

/** Member fields a correction may change; ids never change (a wrong person is removed by status, not renamed). */
export const CorrectableField = z.enum(["name", "nationalId", "birthDate", "relation", "schoolLevel", "health"]);
export type CorrectableField = z.infer<typeof CorrectableField>;
