import { describe, it } from "vitest";
import {
  AlreadyExists,
  DateInvalid,
  HouseholdNotFound,
  MemberAlreadyExists,
  MemberNotInHousehold,
  StatusTransitionInvalid,
} from "../shared/errors.js";
import { deciderSpec } from "../testing/given-when-then.js";
import { householdRegistered, member, sealed } from "../testing/fixtures.js";
import { householdDecider } from "./household-decider.js";
import type { HouseholdStatusChanged } from "./household-events.js";

const { given } = deciderSpec(householdDecider);
const registered = householdRegistered();
const change = (from: string, to: string, effectiveOn: string): HouseholdStatusChanged => ({
  type: "HouseholdStatusChanged",
  data: { householdId: "h1", from, to, reason: `${from}→${to}`, effectiveOn, actor: "officer-1" } as HouseholdStatusChanged["data"],
});
const changeTo = (to: HouseholdStatusChanged["data"]["to"], effectiveOn: string, reason = "") => ({
  type: "ChangeHouseholdStatus" as const,
  data: { householdId: "h1", to, reason: reason || `→${to}`, effectiveOn, actor: "officer-1" },
});

describe("household decider", () => {
  describe("RegisterHousehold", () => {
    it("registers a new household", () => {
      given([]).when({ type: "RegisterHousehold", data: registered.data }).then([registered]);
    });

    it("a retry with the same data (PII sealed afresh) changes nothing", () => {
      const resealed = registered.data.members.map((m) => ({ ...m, nationalId: { ...m.nationalId, sealed: `other-iv:${m.memberId}` } }));
      given([registered]).when({ type: "RegisterHousehold", data: { ...registered.data, members: resealed } }).then([]);
    });

    it("the same id with different data is refused with already_exists", () => {
      given([registered])
        .when({ type: "RegisterHousehold", data: { ...registered.data, villageId: "v2" } })
        .thenThrows(AlreadyExists, { code: "already_exists" });
    });

    it("a head who is not a member is refused", () => {
      given([]).when({ type: "RegisterHousehold", data: { ...registered.data, headMemberId: "nobody" } }).thenThrows(MemberNotInHousehold);
    });

    it("two members with one id are refused", () => {
      given([])
        .when({ type: "RegisterHousehold", data: { ...registered.data, members: [member("p1"), member("p1", { name: "x" })] } })
        .thenThrows(MemberAlreadyExists);
    });
  });

  describe("ChangeHouseholdStatus: enrolled → pre_exit → exited → re_enrolled → pre_exit", () => {
    it("enrolled → pre_exit records from, to, reason, effective date and actor", () => {
      given([registered]).when(changeTo("pre_exit", "2024-03-01", "enrolled→pre_exit")).then([change("enrolled", "pre_exit", "2024-03-01")]);
    });

    it("pre_exit → exited, exited → re_enrolled, re_enrolled → pre_exit", () => {
      const preExit = change("enrolled", "pre_exit", "2024-03-01");
      const exited = change("pre_exit", "exited", "2024-06-30");
      given([registered, preExit]).when(changeTo("exited", "2024-06-30", "pre_exit→exited")).then([exited]);
      const re = change("exited", "re_enrolled", "2025-02-01");
      given([registered, preExit, exited]).when(changeTo("re_enrolled", "2025-02-01", "exited→re_enrolled")).then([re]);
      given([registered, preExit, exited, re])
        .when(changeTo("pre_exit", "2025-12-01", "re_enrolled→pre_exit"))
        .then([change("re_enrolled", "pre_exit", "2025-12-01")]);
    });

    it.each([
      ["enrolled", "exited"],
      ["enrolled", "re_enrolled"],
      ["enrolled", "enrolled"],
    ] as const)("refuses %s → %s", (_from, to) => {
      given([registered]).when(changeTo(to, "2024-03-01")).thenThrows(StatusTransitionInvalid, { code: "status_transition_invalid" });
    });

    it("refuses exited → pre_exit and exited → enrolled", () => {
      const h = [registered, change("enrolled", "pre_exit", "2024-03-01"), change("pre_exit", "exited", "2024-06-30")];
      given(h).when(changeTo("pre_exit", "2024-08-01")).thenThrows(StatusTransitionInvalid);
      given(h).when(changeTo("enrolled", "2024-08-01")).thenThrows(StatusTransitionInvalid);
    });

    it("a retried change is a no-op", () => {
      given([registered, change("enrolled", "pre_exit", "2024-03-01")]).when(changeTo("pre_exit", "2024-03-01", "enrolled→pre_exit")).then([]);
    });

    it("accepts an effective date earlier than the previous change (late record: a fact, flagged by projections)", () => {
      given([registered, change("enrolled", "pre_exit", "2024-03-01")])
        .when(changeTo("exited", "2024-02-01", "pre_exit→exited"))
        .then([change("pre_exit", "exited", "2024-02-01")]);
    });

    it("refuses an effective date before registration", () => {
      given([registered]).when(changeTo("pre_exit", "2022-12-31")).thenThrows(DateInvalid);
    });

    it("refuses an unknown household", () => {
      given([]).when(changeTo("pre_exit", "2024-03-01")).thenThrows(HouseholdNotFound, { code: "household_not_found" });
    });
  });

  describe("CorrectMember: old value, new value and reason, never an overwrite", () => {
    it("records the old value from the record and the new value", () => {
      given([registered])
        .when({ type: "CorrectMember", data: { householdId: "h1", memberId: "p3", field: "schoolLevel", newValue: "middle", reason: "entered middle school" } })
        .then([
          {
            type: "MemberCorrected",
            data: { householdId: "h1", memberId: "p3", field: "schoolLevel", oldValue: "primary", newValue: "middle", reason: "entered middle school" },
          },
        ]);
    });

    it("a later correction sees the corrected value as the old one", () => {
      const first = {
        type: "MemberCorrected" as const,
        data: { householdId: "h1", memberId: "p1", field: "name" as const, oldValue: "name-p1", newValue: "Wang Wei", reason: "typo" },
      };
      given([registered, first])
        .when({ type: "CorrectMember", data: { householdId: "h1", memberId: "p1", field: "name", newValue: "Wang Wei2", reason: "again" } })
        .then([{ type: "MemberCorrected", data: { ...first.data, oldValue: "Wang Wei", newValue: "Wang Wei2", reason: "again" } }]);
    });

    it("corrects a national id as sealed PII", () => {
      given([registered])
        .when({ type: "CorrectMember", data: { householdId: "h1", memberId: "p2", field: "nationalId", newValue: sealed("p2-fixed"), reason: "digit swapped" } })
        .then([
          {
            type: "MemberCorrected",
            data: { householdId: "h1", memberId: "p2", field: "nationalId", oldValue: sealed("p2"), newValue: sealed("p2-fixed"), reason: "digit swapped" },
          },
        ]);
    });

    it("a correction to the value already on record is a no-op", () => {
      given([registered]).when({ type: "CorrectMember", data: { householdId: "h1", memberId: "p1", field: "health", newValue: "healthy", reason: "x" } }).then([]);
    });

    it("refuses a member not in the household", () => {
      given([registered])
        .when({ type: "CorrectMember", data: { householdId: "h1", memberId: "p9", field: "health", newValue: "disabled", reason: "x" } })
        .thenThrows(MemberNotInHousehold, { code: "member_not_in_household" });
    });
  });

  describe("AddMember", () => {
    it("adds a newborn", () => {
      const baby = member("p4", { relation: "child", birthDate: "2024-04-01" });
      given([registered])
        .when({ type: "AddMember", data: { householdId: "h1", member: baby, reason: "birth" } })
        .then([{ type: "MemberAdded", data: { householdId: "h1", member: baby, reason: "birth" } }]);
    });

    it("refuses a second member with an existing id", () => {
      given([registered])
        .when({ type: "AddMember", data: { householdId: "h1", member: member("p1", { name: "someone else" }), reason: "x" } })
        .thenThrows(MemberAlreadyExists);
    });
  });
});
