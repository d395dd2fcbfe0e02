import type { Kysely } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { HOUSEHOLD_PROFILE, type ProfileMember } from "./projection.js";

export interface HouseholdProfile {
  householdId: string;
  villageId: string;
  headMemberId: string;
  headName: string | null;
  memberCount: number;
  members: ProfileMember[];
  povertyCause: string;
  status: string;
  statusEffectiveOn: string;
  statusReason: string | null;
  registeredOn: string;
  bankAccountMasked: string | null;
  registeredPosition: bigint;
  updatedPosition: bigint;
}

/** The profile of one household, or null if it was never registered. */
export async function householdProfile(db: Kysely<any>, householdId: string): Promise<HouseholdProfile | null> {
  const rows = await selectProfiles(db).where("household_id", "=", householdId).execute();
  return rows[0] ? toProfile(rows[0]) : null;
}

/** Profiles of a village's households, by household id. */
export async function householdsOfVillage(db: Kysely<any>, villageId: string): Promise<HouseholdProfile[]> {
  const rows = await selectProfiles(db).where("village_id", "=", villageId).orderBy("household_id").execute();
  return rows.map(toProfile);
}

function selectProfiles(db: Kysely<any>) {
  return db
    .withSchema(liveSchema(HOUSEHOLD_PROFILE))
    .selectFrom("household_profile")
    .select([
      "household_id",
      "village_id",
      "head_member_id",
      "member_count",
      "members",
      "poverty_cause",
      "status",
      "status_reason",
      "bank_account_masked",
      "registered_position",
      "updated_position",
    ])
    // Civil dates as text, so the driver cannot shift them into a local-time Date.
    .select((eb) => [eb.cast("status_effective_on", "text").as("status_effective_on"), eb.cast("registered_on", "text").as("registered_on")]);
}

function toProfile(r: Record<string, any>): HouseholdProfile {
  const members = r.members as ProfileMember[];
  return {
    householdId: r.household_id,
    villageId: r.village_id,
    headMemberId: r.head_member_id,
    headName: members.find((m) => m.memberId === r.head_member_id)?.name ?? null,
    memberCount: r.member_count,
    members,
    povertyCause: r.poverty_cause,
    status: r.status,
    statusEffectiveOn: r.status_effective_on,
    statusReason: r.status_reason,
    registeredOn: r.registered_on,
    bankAccountMasked: r.bank_account_masked,
    registeredPosition: BigInt(r.registered_position),
    updatedPosition: BigInt(r.updated_position),
  };
}
