import { describe, expect, it } from "vitest";
import { replay } from "../shared/decider.js";
import { householdRegistered } from "../testing/fixtures.js";
import { householdDecider } from "./household-decider.js";
import type { HouseholdEvent, HouseholdStatusChanged } from "./household-events.js";
import type { RegisteredHousehold } from "./household-state.js";
import { householdEligibility, requireMember, statusOn } from "./eligibility.js";
import { HouseholdNotEligible, MemberNotInHousehold } from "../shared/errors.js";
import { assertEligible } from "./eligibility.js";

const change = (from: string, to: string, effectiveOn: string): HouseholdStatusChanged =>
  ({ type: "HouseholdStatusChanged", data: { householdId: "h1", from, to, reason: "r", effectiveOn, actor: "o" } }) as HouseholdStatusChanged;
const household = (...events: HouseholdEvent[]) => replay(householdDecider, [householdRegistered(), ...events]) as RegisteredHousehold;

// registered 2023-01-10, pre-exit 2024-03-01, exited 2024-06-30
const exited = household(change("enrolled", "pre_exit", "2024-03-01"), change("pre_exit", "exited", "2024-06-30"));

describe("eligibility (invariant 4)", () => {
  it("enrolled and pre-exit households may be paid", () => {
    expect(householdEligibility(exited, "2024-01-15", 0)).toMatchObject({ eligible: true, status: "enrolled" });
    expect(householdEligibility(exited, "2024-06-29", 0)).toMatchObject({ eligible: true, status: "pre_exit" });
  });

  it("an exited household is refused from the exit's effective date when the rule has no post-exit support", () => {
    expect(householdEligibility(exited, "2024-06-30", 0)).toMatchObject({ eligible: false, status: "exited" });
    expect(() => assertEligible(exited, "h1", "2024-06-30", 0)).toThrow(HouseholdNotEligible);
  });

  it("脱贫不脱政策: inside the post-exit window the exited household is still paid, the day the window ends it is not", () => {
    // exit 2024-06-30 + 12 months → support until 2025-06-29 inclusive
    expect(householdEligibility(exited, "2025-06-29", 12)).toEqual({ eligible: true, status: "exited", postExitUntil: "2025-06-30" });
    expect(householdEligibility(exited, "2025-06-30", 12)).toMatchObject({ eligible: false, status: "exited" });
    expect(() => assertEligible(exited, "h1", "2025-06-30", 12)).toThrow(HouseholdNotEligible);
  });

  it("before registration the household may not be paid", () => {
    expect(householdEligibility(exited, "2023-01-09", 12)).toMatchObject({ eligible: false, status: null });
    expect(householdEligibility(exited, "2023-01-10", 0)).toMatchObject({ eligible: true });
  });

  it("re-enrolled households are paid again", () => {
    const re = household(change("enrolled", "pre_exit", "2024-03-01"), change("pre_exit", "exited", "2024-06-30"), change("exited", "re_enrolled", "2025-01-01"));
    expect(householdEligibility(re, "2024-12-31", 0).eligible).toBe(false);
    expect(householdEligibility(re, "2025-01-01", 0)).toMatchObject({ eligible: true, status: "re_enrolled" });
  });

  it("a change recorded late with an earlier effective date counts from that date", () => {
    const late = household(change("enrolled", "pre_exit", "2024-03-01"), change("pre_exit", "exited", "2024-02-01"));
    expect(statusOn(late, "2024-02-15")).toEqual({ status: "exited", since: "2024-02-01" });
    expect(statusOn(late, "2024-03-05")).toEqual({ status: "pre_exit", since: "2024-03-01" });
  });

  it("a member must belong to the household", () => {
    expect(requireMember(exited, "p2").memberId).toBe("p2");
    expect(() => requireMember(exited, "p9")).toThrow(MemberNotInHousehold);
  });
});
