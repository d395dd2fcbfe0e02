import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { Id } from "../shared/ids.js";
import { SealedPii } from "../shared/sealed-pii.js";
import { Health, Member, PovertyCause, Relation, SchoolLevel } from "./household-member.js";
import { HouseholdStatus } from "./household-status.js";

export const HouseholdRegisteredData = z.strictObject({
  householdId: Id,
  villageId: Id,
  headMemberId: Id,
  members: z.array(Member).min(1),
  povertyCause: PovertyCause,
  registeredOn: CalendarDate,
  bankAccount: SealedPii.exactOptional(),
});

export const HouseholdStatusChangedData = z.strictObject({
  householdId: Id,
  from: HouseholdStatus,
  to: HouseholdStatus,
  reason: z.string().min(1),
  effectiveOn: CalendarDate,
  actor: z.string().min(1),
});

const correction = <F extends string, V extends z.ZodType>(field: F, value: V) =>
  z.strictObject({
    householdId: Id,
    memberId: Id,
    field: z.literal(field),
    oldValue: value,
    newValue: value,
    reason: z.string().min(1),
  });

/** Old and new value side by side: a correction never overwrites, the history keeps both. */
export const MemberCorrectedData = z.discriminatedUnion("field", [
  correction("name", z.string().min(1)),
  correction("nationalId", SealedPii),
  correction("birthDate", CalendarDate),
  correction("relation", Relation),
  correction("schoolLevel", SchoolLevel.nullable()),
  correction("health", Health),
]);

export const MemberAddedData = z.strictObject({
  householdId: Id,
  member: Member,
  reason: z.string().min(1),
});

export const householdEventSchemas = {
  HouseholdRegistered: HouseholdRegisteredData,
  HouseholdStatusChanged: HouseholdStatusChangedData,
  MemberCorrected: MemberCorrectedData,
  MemberAdded: MemberAddedData,
} as const;

export type HouseholdRegistered = { type: "HouseholdRegistered"; data: z.infer<typeof HouseholdRegisteredData> };
export type HouseholdStatusChanged = { type: "HouseholdStatusChanged"; data: z.infer<typeof HouseholdStatusChangedData> };
export type MemberCorrected = { type: "MemberCorrected"; data: z.infer<typeof MemberCorrectedData> };
export type MemberAdded = { type: "MemberAdded"; data: z.infer<typeof MemberAddedData> };
export type HouseholdEvent = HouseholdRegistered | HouseholdStatusChanged | MemberCorrected | MemberAdded;
