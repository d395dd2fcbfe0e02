import { compareDates } from "../shared/calendar-date.js";
import { canonicalJson } from "../shared/canonical-json.js";
import type { Decider } from "../shared/decider.js";
import { AlreadyExists, DisbursementNotFound, NotVerifiable, RoleRequired, UnknownCommand, VerificationInvalid } from "../shared/errors.js";
import type { VerificationCommand } from "./verification-commands.js";
import type { VerificationEvent, VerificationRecorded } from "./verification-events.js";
import { type VerificationState, initialVerificationState } from "./verification-state.js";

/** Statuses of a payment whose money went out (an approved payment is `approved` in the domain). */
const PAID = new Set(["recorded", "approved"]);

/**
 * 核查: an inspector's finding about one paid disbursement. A not_received or amount_differs
 * finding opens a case (unless one is open: the finding joins it); a later `received` closes it.
 * Retries with the same verificationId and body return []; another body is already_exists.
 */
export function decideVerification(command: VerificationCommand, state: VerificationState): VerificationEvent[] {
  switch (command.type) {
    case "RecordVerification": {
      const { request, payment, actor } = command.data;
      if (!actor.roles.includes("inspector")) throw new RoleRequired("inspector", "recording a verification");
      if (payment === null) throw new DisbursementNotFound(request.disbursementId);
      const finding: VerificationRecorded["data"] = {
        verificationId: request.verificationId,
        disbursementId: request.disbursementId,
        householdId: payment.householdId,
        outcome: request.outcome,
        paidAmountFen: payment.amountFen ?? 0,
        observedAmountFen: request.observedAmountFen ?? null,
        visitedOn: request.visitedOn,
        method: request.method,
        note: request.note,
        inspector: actor.id,
      };
      const earlier = state.findings.get(request.verificationId);
      if (earlier) {
        // The inspector is part of the finding, so another inspector reusing the id is a conflict too.
        if (canonicalJson(earlier) === canonicalJson(finding)) return [];
        throw new AlreadyExists("verification", request.verificationId);
      }
      if (!PAID.has(payment.status) || payment.amountFen === null) throw new NotVerifiable(request.disbursementId, payment.status);
      if (compareDates(request.visitedOn, payment.paidOn) < 0) {
        throw new VerificationInvalid(`visitedOn ${request.visitedOn} is before the payment date ${payment.paidOn}`);
      }
      if (request.outcome === "amount_differs") {
        if (finding.observedAmountFen === null) throw new VerificationInvalid("amount_differs needs observedAmountFen");
        if (finding.observedAmountFen === payment.amountFen) throw new VerificationInvalid("observedAmountFen equals the paid amount: the outcome is received");
      } else if (finding.observedAmountFen !== null) {
        throw new VerificationInvalid(`observedAmountFen is only for amount_differs, not ${request.outcome}`);
      }
      const events: VerificationEvent[] = [{ type: "VerificationRecorded", data: finding }];
      const ids = { disbursementId: finding.disbursementId, householdId: finding.householdId, verificationId: finding.verificationId };
      if (request.outcome === "received" && state.openCaseId !== null) {
        events.push({ type: "CaseClosed", data: { caseId: state.openCaseId, ...ids, resolution: "received_on_follow_up", closedOn: request.visitedOn } });
      } else if (request.outcome !== "received" && state.openCaseId === null) {
        events.push({ type: "CaseOpened", data: { caseId: request.verificationId, ...ids, reason: request.outcome, openedOn: request.visitedOn } });
      }
      return events;
    }
    default: {
      const _exhaustive: never = command.type;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveVerification(state: VerificationState, event: VerificationEvent): VerificationState {
  switch (event.type) {
    case "VerificationRecorded":
      return { ...state, findings: new Map(state.findings).set(event.data.verificationId, event.data) };
    case "CaseOpened":
      return { ...state, openCaseId: event.data.caseId };
    case "CaseClosed":
      return { ...state, openCaseId: null };
    default: {
      const _exhaustive: never = event;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const verificationDecider: Decider<VerificationCommand, VerificationState, VerificationEvent> = {
  decide: decideVerification,
  evolve: evolveVerification,
  initialState: initialVerificationState,
};
