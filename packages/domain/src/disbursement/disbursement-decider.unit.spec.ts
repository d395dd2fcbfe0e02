import { describe, expect, it } from "vitest";
import { householdDecider } from "../household/household-decider.js";
import type { HouseholdEvent, HouseholdStatusChanged } from "../household/household-events.js";
import { programDecider } from "../program/program-decider.js";
import type { ProgramRule } from "../program/program-rule.js";
import { replay } from "../shared/decider.js";
import {
  AlreadyDecided,
  AlreadyReversed,
  AmountInvalid,
  AmountMismatch,
  CapExceeded,
  DisbursementNotFound,
  HouseholdMismatch,
  HouseholdNotEligible,
  HouseholdNotFound,
  IdempotencyConflict,
  InputsInvalid,
  MemberNotInHousehold,
  MemberRequired,
  NotPending,
  NotReversible,
  PeriodInvalid,
  ProgramNotFound,
  RoleRequired,
  SelfApproval,
} from "../shared/errors.js";
import type { Actor } from "../shared/roles.js";
import type { StakeState } from "../stake/stake.js";
import { deciderSpec } from "../testing/given-when-then.js";
import { householdRegistered, programDefined, rules } from "../testing/fixtures.js";
import { type DisbursementContext, assessDisbursement } from "./assess-disbursement.js";
import type { DisbursementCommand } from "./disbursement-commands.js";
import { disbursementDecider } from "./disbursement-decider.js";
import type { DisbursementEvent, DisbursementInitiated, DisbursementRecorded } from "./disbursement-events.js";
import type { DisbursementRequest } from "./disbursement-request.js";

const { given } = deciderSpec(disbursementDecider);
const officer: Actor = { id: "officer-1", roles: ["officer"] };
const officer2: Actor = { id: "officer-2", roles: ["officer", "approver"] };
const approver: Actor = { id: "approver-1", roles: ["approver"] };

const change = (from: string, to: string, effectiveOn: string): HouseholdStatusChanged =>
  ({ type: "HouseholdStatusChanged", data: { householdId: "h1", from, to, reason: "r", effectiveOn, actor: "o" } }) as HouseholdStatusChanged;
const householdOf = (...events: HouseholdEvent[]) => replay(householdDecider, [householdRegistered(), ...events]);
const programOf = (rule: ProgramRule) => replay(programDecider, [programDefined(rule, "prog")]);
const context = (rule: ProgramRule, extra: Partial<DisbursementContext> = {}): DisbursementContext => ({
  household: householdOf(),
  program: programOf(rule),
  ...extra,
});

const request = (overrides: Partial<DisbursementRequest> = {}): DisbursementRequest => ({
  disbursementId: "d1",
  householdId: "h1",
  programId: "prog",
  period: "once",
  amountFen: 600_000,
  paidOn: "2024-05-20",
  channel: "one_card",
  reference: "batch-2024-05",
  ...overrides,
});
const initiated = (req: DisbursementRequest = request(), preparedBy = officer.id): DisbursementInitiated => ({
  type: "DisbursementInitiated",
  data: { request: req, requestHash: `hash-${req.disbursementId}-${req.amountFen}-${req.period}`, preparedBy },
});
const initiate = (req: DisbursementRequest = request(), actor: Actor = officer): DisbursementCommand => ({
  type: "InitiateDisbursement",
  data: { request: req, requestHash: `hash-${req.disbursementId}-${req.amountFen}-${req.period}`, actor },
});
const record = (ctx: DisbursementContext): DisbursementCommand => ({ type: "RecordDisbursement", data: { disbursementId: "d1", context: ctx } });
const recorded = (
  status: "recorded" | "pending_approval",
  amountFen: number,
  inputs: DisbursementRecorded["data"]["inputs"],
  overrides: Partial<DisbursementRecorded["data"]> = {},
): DisbursementRecorded => ({
  type: "DisbursementRecorded",
  data: {
    disbursementId: "d1",
    programId: "prog",
    householdId: "h1",
    memberId: null,
    period: "once",
    status,
    amountFen,
    ruleVersion: 1,
    inputs,
    slotKey: "prog:h1:once",
    ...overrides,
  },
});
const projectInputs = { kind: "household_project", capPerHouseholdFen: 600_000, ruleVersion: 1 };
// household_project: cap 600,000 fen, approval above 500,000 fen.
const projectCtx = context(rules.household_project);
const pendingEvents = (amountFen = 600_000): DisbursementEvent[] => [
  initiated(request({ amountFen })),
  recorded("pending_approval", amountFen, projectInputs),
];
const recordedEvents: DisbursementEvent[] = [initiated(request({ amountFen: 400_000 })), recorded("recorded", 400_000, projectInputs)];

describe("disbursement decider", () => {
  describe("InitiateDisbursement (invariant 1)", () => {
    it("records the request, its hash and the preparer", () => {
      given([]).when(initiate()).then([initiated()]);
    });
    it("a retry with the same body gets nothing new (the handler answers with the first result)", () => {
      given([initiated()]).when(initiate()).then([]);
      given(recordedEvents).when(initiate(request({ amountFen: 400_000 }))).then([]);
    });
    it("the same id with a different body is refused with idempotency_conflict", () => {
      given([initiated()]).when(initiate(request({ amountFen: 599_999 }))).thenThrows(IdempotencyConflict, { code: "idempotency_conflict" });
    });
    it.each([0, -600_000, 12.5, 0.01, Number.NaN])("refuses %s fen with amount_invalid", (amountFen) => {
      given([]).when(initiate(request({ amountFen }))).thenThrows(AmountInvalid, { code: "amount_invalid" });
    });
    it("an approver may not record disbursements", () => {
      given([]).when(initiate(request(), approver)).thenThrows(RoleRequired, { code: "role_required" });
    });
  });

  describe("RecordDisbursement: cap, threshold and eligibility", () => {
    it("exactly the cap is recorded; above the 500,000 threshold it waits for approval", () => {
      given(pendingEvents().slice(0, 1)).when(record(projectCtx)).then([recorded("pending_approval", 600_000, projectInputs)]);
    });
    it("one fen over the cap is refused with cap_exceeded", () => {
      given([initiated(request({ amountFen: 600_001 }))]).when(record(projectCtx)).thenThrows(CapExceeded, { code: "cap_exceeded", capFen: 600_000 });
    });
    it("exactly the approval threshold is recorded without a second signature, one fen more is pending", () => {
      given([initiated(request({ amountFen: 500_000 }))]).when(record(projectCtx)).then([recorded("recorded", 500_000, projectInputs)]);
      given([initiated(request({ amountFen: 500_001 }))]).when(record(projectCtx)).then([recorded("pending_approval", 500_001, projectInputs)]);
    });
    it("an exact rule refuses any other amount with amount_mismatch", () => {
      const ctx = context(rules.dibao);
      const req = request({ period: "2024-05", amountFen: 95_001 });
      given([initiated(req)]).when(record(ctx)).thenThrows(AmountMismatch, { code: "amount_mismatch", expectedFen: 95_000, requestedFen: 95_001 });
      const ok = request({ period: "2024-05", amountFen: 95_000 });
      given([initiated(ok)])
        .when(record(ctx))
        .then([
          recorded(
            "recorded",
            95_000,
            { kind: "dibao", annualStandardPerPersonFen: 380_000, members: 3, annualFen: 1_140_000, periodsPerYear: 12, periodIndex: 5, remainderFen: 0, ruleVersion: 1 },
            { period: "2024-05", slotKey: "prog:h1:2024-05" },
          ),
        ]);
    });
    it("a bad period for the program's granularity is refused with period_invalid", () => {
      const ctx = context(rules.dibao);
      for (const period of ["2024-Q2", "2024", "once", "2024-H1"]) {
        given([initiated(request({ period, amountFen: 95_000 }))]).when(record(ctx)).thenThrows(PeriodInvalid, { code: "period_invalid" });
      }
    });

    describe("exited household (invariant 4)", () => {
      const exited = householdOf(change("enrolled", "pre_exit", "2024-01-01"), change("pre_exit", "exited", "2024-03-31"));
      it("is refused after the exit when the rule has no post-exit support", () => {
        given([initiated()]).when(record({ ...projectCtx, household: exited })).thenThrows(HouseholdNotEligible, { code: "household_not_eligible" });
      });
      it("a payment dated before the exit is still allowed", () => {
        given([initiated(request({ paidOn: "2024-03-30" }))])
          .when(record({ ...projectCtx, household: exited }))
          .then([recorded("pending_approval", 600_000, projectInputs)]);
      });
      it("inside the post-exit window it is paid, outside it is refused", () => {
        const ctx = { ...context({ ...rules.household_project, postExitMonths: 6 }), household: exited };
        // exit 2024-03-31 + 6 months = 2024-09-30 (exclusive)
        given([initiated(request({ paidOn: "2024-09-29" }))]).when(record(ctx)).then([recorded("pending_approval", 600_000, projectInputs)]);
        given([initiated(request({ paidOn: "2024-09-30" }))]).when(record(ctx)).thenThrows(HouseholdNotEligible);
      });
    });

    it("a member not in the household is refused with member_not_in_household", () => {
      const ctx = context(rules.education_aid);
      given([initiated(request({ memberId: "p9", period: "2024-H1", amountFen: 62_500 }))])
        .when(record(ctx))
        .thenThrows(MemberNotInHousehold, { code: "member_not_in_household" });
    });
    it("a per-person program needs a member; its slot is per member", () => {
      const ctx = context(rules.education_aid);
      given([initiated(request({ period: "2024-H1", amountFen: 62_500 }))]).when(record(ctx)).thenThrows(MemberRequired);
      given([initiated(request({ memberId: "p3", period: "2024-H1", amountFen: 62_500 }))])
        .when(record(ctx))
        .then([
          recorded(
            "recorded",
            62_500,
            { kind: "education_aid", memberId: "p3", schoolLevel: "primary", amountPerTermFen: 62_500, ruleVersion: 1 },
            { memberId: "p3", period: "2024-H1", slotKey: "prog:p3:2024-H1" },
          ),
        ]);
    });
    it("medical claims take no slot: several claims a year are normal", () => {
      const ctx = context(rules.medical_aid);
      const inputs = { kind: "medical_aid", claimId: "c1", hospitalLevel: "county", outOfPocketFen: 60_000, reimbursed180ThisYearFen: 0 } as const;
      const [event] = disbursementDecider.decide(record(ctx), replay(disbursementDecider, [initiated(request({ memberId: "p2", period: "2024", amountFen: 50_000, inputs }))]));
      expect(event).toMatchObject({ data: { slotKey: null, amountFen: 50_000, inputs: { paid351Fen: 10_000, paid180Fen: 40_000 } } });
    });
    it("inputs of another kind, an unknown household or program are refused", () => {
      given([initiated(request({ inputs: { kind: "dibao" } }))]).when(record(projectCtx)).thenThrows(InputsInvalid);
      given([initiated()]).when(record({ ...projectCtx, household: { status: "unregistered" } })).thenThrows(HouseholdNotFound);
      given([initiated()]).when(record({ ...projectCtx, program: { status: "undefined" } })).thenThrows(ProgramNotFound);
    });
    it("a stake of another household is refused", () => {
      const stake: StakeState = {
        status: "recorded",
        stakeId: "s1",
        householdId: "h2",
        enterprise: "e",
        investedFen: 1,
        annualDividendFen: 60_000,
        firstYear: 2024,
        years: 1,
      };
      given([initiated(request({ period: "2024", amountFen: 60_000, inputs: { kind: "enterprise_dividend", stakeId: "s1" } }))])
        .when(record({ ...context(rules.enterprise_dividend), stake }))
        .thenThrows(HouseholdMismatch);
    });
    it("recording twice is a no-op; recording a refused one is refused", () => {
      given(pendingEvents()).when(record(projectCtx)).then([]);
      const refused: DisbursementEvent = { type: "DisbursementRefused", data: { disbursementId: "d1", code: "slot_taken", message: "m" } };
      given([initiated(), refused]).when(record(projectCtx)).thenThrows(AlreadyDecided);
    });
    it("assessDisbursement is the same check, callable before claiming the slot", () => {
      expect(assessDisbursement(request({ amountFen: 1 }), projectCtx)).toEqual({
        status: "recorded",
        amountFen: 1,
        ruleVersion: 1,
        inputs: projectInputs,
        slotKey: "prog:h1:once",
      });
    });
  });

  describe("RefuseDisbursement: the first answer for retries", () => {
    const refuse: DisbursementCommand = { type: "RefuseDisbursement", data: { disbursementId: "d1", code: "budget_exceeded", message: "no money" } };
    it("refuses an initiated disbursement, once", () => {
      given([initiated()]).when(refuse).then([{ type: "DisbursementRefused", data: { disbursementId: "d1", code: "budget_exceeded", message: "no money" } }]);
      given([initiated(), { type: "DisbursementRefused", data: refuse.data as { disbursementId: string; code: string; message: string } }])
        .when(refuse)
        .then([]);
    });
    it("cannot refuse a recorded one", () => {
      given(recordedEvents).when(refuse).thenThrows(AlreadyDecided);
    });
  });

  describe("maker-checker (invariant 5)", () => {
    const approve = (actor: Actor): DisbursementCommand => ({ type: "ApproveDisbursement", data: { disbursementId: "d1", actor } });
    const reject = (actor: Actor): DisbursementCommand => ({ type: "RejectDisbursement", data: { disbursementId: "d1", actor, reason: "no receipt" } });
    it("another user with the approver role approves", () => {
      given(pendingEvents()).when(approve(approver)).then([{ type: "DisbursementApproved", data: { disbursementId: "d1", by: "approver-1" } }]);
    });
    it("the preparer can never approve its own payment, even holding the approver role", () => {
      given([initiated(request(), officer2.id), recorded("pending_approval", 600_000, projectInputs)])
        .when(approve(officer2))
        .thenThrows(SelfApproval, { code: "self_approval" });
      given([initiated(request(), officer2.id), recorded("pending_approval", 600_000, projectInputs)]).when(reject(officer2)).thenThrows(SelfApproval);
    });
    it("an officer without the approver role cannot approve", () => {
      given(pendingEvents()).when(approve({ id: "officer-9", roles: ["officer"] })).thenThrows(RoleRequired);
    });
    it("approving or rejecting what is not pending is refused with not_pending", () => {
      given(recordedEvents).when(approve(approver)).thenThrows(NotPending, { code: "not_pending" });
      given([...pendingEvents(), { type: "DisbursementApproved", data: { disbursementId: "d1", by: "approver-1" } }])
        .when(reject(approver))
        .thenThrows(NotPending);
      given([]).when(approve(approver)).thenThrows(DisbursementNotFound);
    });
    it("rejection records who and why", () => {
      given(pendingEvents()).when(reject(approver)).then([{ type: "DisbursementRejected", data: { disbursementId: "d1", by: "approver-1", reason: "no receipt" } }]);
    });
  });

  describe("ReverseDisbursement", () => {
    const reverse = (actor: Actor = officer): DisbursementCommand => ({
      type: "ReverseDisbursement",
      data: { disbursementId: "d1", actor, reason: "wrong household", originalPosition: "42" },
    });
    const reversed: DisbursementEvent = {
      type: "DisbursementReversed",
      data: { disbursementId: "d1", reason: "wrong household", by: "officer-1", originalPosition: "42" },
    };
    it("reverses a recorded payment, referencing the original", () => {
      given(recordedEvents).when(reverse()).then([reversed]);
    });
    it("reverses an approved payment", () => {
      given([...pendingEvents(), { type: "DisbursementApproved", data: { disbursementId: "d1", by: "approver-1" } }]).when(reverse()).then([reversed]);
    });
    it("a second reversal is refused with already_reversed", () => {
      given([...recordedEvents, reversed]).when(reverse()).thenThrows(AlreadyReversed, { code: "already_reversed" });
    });
    it("a refused, rejected or pending payment cannot be reversed", () => {
      const refused: DisbursementEvent = { type: "DisbursementRefused", data: { disbursementId: "d1", code: "slot_taken", message: "m" } };
      given([initiated(), refused]).when(reverse()).thenThrows(NotReversible, { code: "not_reversible" });
      given([...pendingEvents(), { type: "DisbursementRejected", data: { disbursementId: "d1", by: "a", reason: "r" } }]).when(reverse()).thenThrows(NotReversible);
      given(pendingEvents()).when(reverse()).thenThrows(NotReversible);
      given([]).when(reverse()).thenThrows(DisbursementNotFound);
    });
    it("only an officer reverses", () => {
      given(recordedEvents).when(reverse(approver)).thenThrows(RoleRequired);
    });
  });
});
