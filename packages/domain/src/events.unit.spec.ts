import { describe, expect, it } from "vitest";
import { DomainCommand } from "./commands.js";
import { domainEventSchemas, domainEventTypes, parseDomainEvent } from "./events.js";
import { EventInvalid } from "./shared/errors.js";
import { householdRegistered, programDefined, rules } from "./testing/fixtures.js";

describe("domainEventSchemas: what the event store accepts", () => {
  it("lists every event type", () => {
    expect(domainEventTypes.sort()).toEqual(
      [
        "AllocationAdded",
        "DisbursementApproved",
        "DisbursementInitiated",
        "DisbursementRecorded",
        "DisbursementRefused",
        "DisbursementRejected",
        "DisbursementReversed",
        "FundsReserved",
        "HouseholdRegistered",
        "HouseholdStatusChanged",
        "LoanRecorded",
        "MemberAdded",
        "MemberCorrected",
        "ProgramDefined",
        "ProgramRuleRevised",
        "ReservationReleased",
        "SlotClaimed",
        "SlotReleased",
        "StakeRecorded",
        "VerificationRecorded",
        "CaseOpened",
        "CaseClosed",
      ].sort(),
    );
  });

  it("accepts valid events", () => {
    expect(parseDomainEvent(householdRegistered())).toEqual(householdRegistered());
    for (const rule of Object.values(rules)) expect(() => parseDomainEvent(programDefined(rule))).not.toThrow();
  });

  it("refuses an unknown type", () => {
    expect(() => parseDomainEvent({ type: "HouseholdDeleted", data: {} })).toThrow(EventInvalid);
    expect(() => parseDomainEvent({ type: "toString", data: {} })).toThrow(EventInvalid);
  });

  it.each([12.5, 0, -1, "100", Number.NaN, 2 ** 53])("refuses FundsReserved of %s fen", (amountFen) => {
    expect(() => parseDomainEvent({ type: "FundsReserved", data: { programId: "p", disbursementId: "d", amountFen } })).toThrow(EventInvalid);
  });

  it("refuses extra fields (nothing is smuggled into an immutable log) and missing ones", () => {
    expect(() => parseDomainEvent({ type: "FundsReserved", data: { programId: "p", disbursementId: "d", amountFen: 1, note: "x" } })).toThrow(EventInvalid);
    expect(() => parseDomainEvent({ type: "SlotClaimed", data: { slotKey: "k" } })).toThrow(EventInvalid);
  });

  it("refuses clear PII where sealed PII is expected", () => {
    const bad = householdRegistered();
    const members = bad.data.members.map((m) => ({ ...m, nationalId: "320102198001011234" }));
    expect(() => parseDomainEvent({ type: "HouseholdRegistered", data: { ...bad.data, members } })).toThrow(EventInvalid);
  });

  it("refuses a float inside recorded inputs", () => {
    const data = {
      disbursementId: "d1",
      programId: "p",
      householdId: "h1",
      memberId: null,
      period: "2024-01",
      status: "recorded",
      amountFen: 95_000,
      ruleVersion: 1,
      inputs: { kind: "dibao", members: 3 },
      slotKey: "p:h1:2024-01",
    };
    expect(() => parseDomainEvent({ type: "DisbursementRecorded", data })).not.toThrow();
    expect(() => parseDomainEvent({ type: "DisbursementRecorded", data: { ...data, inputs: { share: 0.8 } } })).toThrow(EventInvalid);
  });

  it("refuses a household-use loan carrying a dividend", () => {
    const loan = {
      loanId: "l1",
      householdId: "h1",
      principalFen: 5_000_000,
      annualRateBps: 435,
      termMonths: 36,
      use: "household",
      issuedOn: "2024-01-01",
      subsidyShareBps: 10_000,
      annualDividendFen: 350_000,
    };
    expect(domainEventSchemas.LoanRecorded.safeParse(loan).success).toBe(false);
    expect(domainEventSchemas.LoanRecorded.safeParse({ ...loan, use: "enterprise" }).success).toBe(true);
  });
});

describe("DomainCommand: the request-side schema", () => {
  it("refuses a disbursement with a float amount or a bad period before any decider runs", () => {
    const body = {
      disbursementId: "d1",
      householdId: "h1",
      programId: "p",
      period: "2024-03",
      amountFen: 95_000,
      paidOn: "2024-03-20",
      channel: "one_card",
      reference: "r",
    };
    const cmd = (request: object) => ({ type: "InitiateDisbursement", data: { request, requestHash: "h", actor: { id: "o", roles: ["officer"] } } });
    expect(DomainCommand.safeParse(cmd(body)).success).toBe(true);
    expect(DomainCommand.safeParse(cmd({ ...body, amountFen: 950.5 })).success).toBe(false);
    expect(DomainCommand.safeParse(cmd({ ...body, amountFen: "95000" })).success).toBe(false);
    expect(DomainCommand.safeParse(cmd({ ...body, period: "2024-3" })).success).toBe(false);
    expect(DomainCommand.safeParse(cmd({ ...body, householdId: "h1:x" })).success).toBe(false);
  });
});
