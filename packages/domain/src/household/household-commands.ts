import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { Id } from "../shared/ids.js";
import { SealedPii } from "../shared/sealed-pii.js";
import { HouseholdRegisteredData } from "./household-events.js";
import { Health, Member, Relation, SchoolLevel } from "./household-member.js";
import { HouseholdStatus } from "./household-status.js";

export const RegisterHouseholdCommand = z.strictObject({
  type: z.literal("RegisterHousehold"),
  data: HouseholdRegisteredData,
});

export const ChangeHouseholdStatusCommand = z.strictObject({
  type: z.literal("ChangeHouseholdStatus"),
  data: z.strictObject({
    householdId: Id,
    to: HouseholdStatus,
    reason: z.string().min(1),
    effectiveOn: CalendarDate,
    actor: z.string().min(1),
  }),
});

const correct = <F extends string, V extends z.ZodType>(field: F, value: V) =>
  z.strictObject({ householdId: Id, memberId: Id, field: z.literal(field), newValue: value, reason: z.string().min(1) });

/** The command names the new value only; the decider reads the old value from the state. */
export const CorrectMemberCommand = z.strictObject({
  type: z.literal("CorrectMember"),
  data: z.discriminatedUnion("field", [
    correct("name", z.string().min(1)),
    correct("nationalId", SealedPii),
    correct("birthDate", CalendarDate),
    correct("relation", Relation),
    correct("schoolLevel", SchoolLevel.nullable()),
    correct("health", Health),
  ]),
});

export const AddMemberCommand = z.strictObject({
  type: z.literal("AddMember"),
  data: z.strictObject({ householdId: Id, member: Member, reason: z.string().min(1) }),
});

export const HouseholdCommand = z.discriminatedUnion("type", [
  RegisterHouseholdCommand,
  ChangeHouseholdStatusCommand,
  CorrectMemberCommand,
  AddMemberCommand,
]);
export type RegisterHousehold = z.infer<typeof RegisterHouseholdCommand>;
export type ChangeHouseholdStatus = z.infer<typeof ChangeHouseholdStatusCommand>;
export type CorrectMember = z.infer<typeof CorrectMemberCommand>;
export type AddMember = z.infer<typeof AddMemberCommand>;
export type HouseholdCommand = z.infer<typeof HouseholdCommand>;
