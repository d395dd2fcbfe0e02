import type { Member } from "@aidtrail/domain";
import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState, preload } from "../shared/batch-state.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type ColumnTypes, selectByKeys, upsertRows } from "../shared/sql-rows.js";

export const HOUSEHOLD_PROFILE = "household_profile";

/** A member as the profile shows it: the national id masked, never sealed. */
export interface ProfileMember {
  memberId: string;
  name: string;
  nationalIdMasked: string;
  birthDate: string;
  relation: string;
  schoolLevel: string | null;
  health: string;
}

export interface HouseholdProfileRow {
  household_id: string;
  village_id: string;
  head_member_id: string;
  member_count: number;
  members: ProfileMember[];
  poverty_cause: string;
  status: string;
  status_effective_on: string;
  status_reason: string | null;
  registered_on: string;
  bank_account_masked: string | null;
  registered_position: string | number;
  updated_position: string | number;
}

const columns: ColumnTypes = {
  household_id: "text",
  village_id: "text",
  head_member_id: "text",
  member_count: "int",
  members: "jsonb",
  poverty_cause: "text",
  status: "text",
  status_effective_on: "date",
  status_reason: "text",
  registered_on: "date",
  bank_account_masked: "text",
  registered_position: "bigint",
  updated_position: "bigint",
};

function profileMember(m: Member): ProfileMember {
  return {
    memberId: m.memberId,
    name: m.name,
    nationalIdMasked: m.nationalId.masked,
    birthDate: m.birthDate,
    relation: m.relation,
    schoolLevel: m.schoolLevel,
    health: m.health,
  };
}

/** 户情: one row per household with its members (PII masked), cause of poverty and current status. */
export const householdProfileProjection: Projection = {
  name: HOUSEHOLD_PROFILE,
  tables: ["household_profile"],
  async createTables(trx: Transaction<any>) {
    await sql`
      create table household_profile (
        household_id text primary key,
        village_id text not null,
        head_member_id text not null,
        member_count int not null,
        members jsonb not null,
        poverty_cause text not null,
        status text not null,
        status_effective_on date not null,
        status_reason text,
        registered_on date not null,
        bank_account_masked text,
        registered_position bigint not null,
        updated_position bigint not null
      )`.execute(trx);
    await sql`create index household_profile_village on household_profile (village_id, household_id)`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const state = new BatchState<HouseholdProfileRow>();
    const registeredHere = new Set<string>();
    const referenced: string[] = [];
    for (const e of events) {
      if (e.type === "HouseholdRegistered") registeredHere.add(e.data.householdId);
      else if (e.type === "HouseholdStatusChanged" || e.type === "MemberCorrected" || e.type === "MemberAdded") {
        if (!registeredHere.has(e.data.householdId)) referenced.push(e.data.householdId);
      }
    }
    await preload(state, referenced, async (ids) =>
      (await selectByKeys<HouseholdProfileRow>(trx, "household_profile", "household_id", ids)).map((r) => [r.household_id, r]),
    );

    for (const e of events) {
      const position = e.position.toString();
      switch (e.type) {
        case "HouseholdRegistered": {
          const d = e.data;
          state.set(d.householdId, {
            household_id: d.householdId,
            village_id: d.villageId,
            head_member_id: d.headMemberId,
            member_count: d.members.length,
            members: d.members.map(profileMember),
            poverty_cause: d.povertyCause,
            status: "enrolled",
            status_effective_on: d.registeredOn,
            status_reason: null,
            registered_on: d.registeredOn,
            bank_account_masked: d.bankAccount?.masked ?? null,
            registered_position: position,
            updated_position: position,
          });
          break;
        }
        case "HouseholdStatusChanged": {
          const row = state.get(e.data.householdId);
          if (!row) break;
          state.set(row.household_id, {
            ...row,
            status: e.data.to,
            status_effective_on: e.data.effectiveOn,
            status_reason: e.data.reason,
            updated_position: position,
          });
          break;
        }
        case "MemberAdded": {
          const row = state.get(e.data.householdId);
          if (!row) break;
          const members = [...row.members, profileMember(e.data.member)];
          state.set(row.household_id, { ...row, members, member_count: members.length, updated_position: position });
          break;
        }
        case "MemberCorrected": {
          const row = state.get(e.data.householdId);
          if (!row) break;
          const d = e.data;
          const members = row.members.map((m) => {
            if (m.memberId !== d.memberId) return m;
            switch (d.field) {
              case "nationalId":
                return { ...m, nationalIdMasked: d.newValue.masked };
              case "name":
                return { ...m, name: d.newValue };
              case "birthDate":
                return { ...m, birthDate: d.newValue };
              case "relation":
                return { ...m, relation: d.newValue };
              case "schoolLevel":
                return { ...m, schoolLevel: d.newValue };
              case "health":
                return { ...m, health: d.newValue };
              default: {
                const _exhaustive: never = d;
                throw new Error(`unknown member field ${JSON.stringify(_exhaustive)}`);
              }
            }
          });
          state.set(row.household_id, { ...row, members, updated_position: position });
          break;
        }
        default:
          break;
      }
    }
    await upsertRows(trx, "household_profile", columns, state.changed(), { key: ["household_id"], set: "all" });
  },
};
