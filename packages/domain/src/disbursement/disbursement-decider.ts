import type { Decider } from "../shared/decider.js";
import {
  AlreadyDecided,
  AlreadyReversed,
  DisbursementNotFound,
  DisbursementNotInitiated,
  IdempotencyConflict,
  ImpossibleEvent,
  NotPending,
  NotReversible,
  RoleRequired,
  SelfApproval,
  UnknownCommand,
} from "../shared/errors.js";
import { requirePositiveFen } from "../shared/fen.js";
import type { Actor, Role } from "../shared/roles.js";
import { assessDisbursement } from "./assess-disbursement.js";
import type { DisbursementCommand } from "./disbursement-commands.js";
import type { DisbursementEvent } from "./disbursement-events.js";
import type { DisbursementState } from "./disbursement-state.js";

export function initialDisbursementState(): DisbursementState {
  return { status: "none" };
}

function requireRole(actor: Actor, role: Role, action: string): void {
  if (!actor.roles.includes(role)) throw new RoleRequired(role, action);
}

type Existing = Exclude<DisbursementState, { status: "none" }>;
function requireExisting(state: DisbursementState, disbursementId: string): Existing {
  if (state.status === "none") throw new DisbursementNotFound(disbursementId);
  return state;
}

/**
 * The life of one payment: initiated → recorded | pending_approval | refused;
 * pending_approval → approved | rejected (by another user with the approver role);
 * recorded | approved → reversed (once). Retries of the same step return [].
 */
export function decideDisbursement(command: DisbursementCommand, state: DisbursementState): DisbursementEvent[] {
  switch (command.type) {
    case "InitiateDisbursement": {
      const { request, requestHash, actor } = command.data;
      requireRole(actor, "officer", "recording a disbursement");
      requirePositiveFen("amountFen", request.amountFen);
      if (state.status !== "none") {
        // Invariant 1: same id and body gets the first answer, a different body is a conflict.
        if (state.requestHash === requestHash) return [];
        throw new IdempotencyConflict(request.disbursementId);
      }
      return [{ type: "DisbursementInitiated", data: { request, requestHash, preparedBy: actor.id } }];
    }
    case "RecordDisbursement": {
      const { disbursementId, context } = command.data;
      if (state.status === "none") throw new DisbursementNotInitiated(disbursementId);
      if (state.status === "refused") throw new AlreadyDecided(disbursementId, state.status);
      if (state.status !== "initiated") return [];
      const a = assessDisbursement(state.request, context);
      const { request } = state;
      return [
        {
          type: "DisbursementRecorded",
          data: {
            disbursementId,
            programId: request.programId,
            householdId: request.householdId,
            memberId: request.memberId ?? null,
            period: request.period,
            status: a.status,
            amountFen: a.amountFen,
            ruleVersion: a.ruleVersion,
            inputs: a.inputs,
            slotKey: a.slotKey,
          },
        },
      ];
    }
    case "RefuseDisbursement": {
      const { disbursementId } = command.data;
      if (state.status === "none") throw new DisbursementNotInitiated(disbursementId);
      if (state.status === "refused") return [];
      if (state.status !== "initiated") throw new AlreadyDecided(disbursementId, state.status);
      return [{ type: "DisbursementRefused", data: command.data }];
    }
    case "ApproveDisbursement":
    case "RejectDisbursement": {
      const { disbursementId, actor } = command.data;
      requireRole(actor, "approver", command.type === "ApproveDisbursement" ? "approving a disbursement" : "rejecting a disbursement");
      const current = requireExisting(state, disbursementId);
      if (current.status !== "pending_approval") throw new NotPending(disbursementId, current.status);
      // Maker-checker: the second signature must be someone else's, also for a rejection.
      if (actor.id === current.preparedBy) throw new SelfApproval(disbursementId, actor.id);
      if (command.type === "ApproveDisbursement") return [{ type: "DisbursementApproved", data: { disbursementId, by: actor.id } }];
      return [{ type: "DisbursementRejected", data: { disbursementId, by: actor.id, reason: command.data.reason } }];
    }
    case "ReverseDisbursement": {
      const { disbursementId, actor, reason, originalPosition } = command.data;
      requireRole(actor, "officer", "reversing a disbursement");
      const current = requireExisting(state, disbursementId);
      if (current.status === "reversed") throw new AlreadyReversed(disbursementId);
      if (current.status !== "recorded" && current.status !== "approved") throw new NotReversible(disbursementId, current.status);
      return [
        {
          type: "DisbursementReversed",
          data: { disbursementId, reason, by: actor.id, ...(originalPosition === undefined ? {} : { originalPosition }) },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveDisbursement(state: DisbursementState, event: DisbursementEvent): DisbursementState {
  switch (event.type) {
    case "DisbursementInitiated": {
      if (state.status !== "none") throw new ImpossibleEvent(event.type, state.status);
      const { request, requestHash, preparedBy } = event.data;
      return { status: "initiated", disbursementId: request.disbursementId, request, requestHash, preparedBy };
    }
    case "DisbursementRecorded": {
      if (state.status !== "initiated") throw new ImpossibleEvent(event.type, state.status);
      const { status, amountFen, ruleVersion, inputs, slotKey } = event.data;
      return { ...state, status, amountFen, ruleVersion, inputs, slotKey };
    }
    case "DisbursementRefused": {
      if (state.status !== "initiated") throw new ImpossibleEvent(event.type, state.status);
      return { ...state, status: "refused", code: event.data.code, message: event.data.message };
    }
    case "DisbursementApproved": {
      if (state.status !== "pending_approval") throw new ImpossibleEvent(event.type, state.status);
      return { ...state, status: "approved", approvedBy: event.data.by };
    }
    case "DisbursementRejected": {
      if (state.status !== "pending_approval") throw new ImpossibleEvent(event.type, state.status);
      return { ...state, status: "rejected", rejectedBy: event.data.by, reason: event.data.reason };
    }
    case "DisbursementReversed": {
      if (state.status !== "recorded" && state.status !== "approved") throw new ImpossibleEvent(event.type, state.status);
      const approvedBy = state.status === "approved" ? state.approvedBy : null;
      return { ...state, status: "reversed", approvedBy, reversedFrom: state.status, reversedBy: event.data.by, reason: event.data.reason };
    }
    default: {
      const _exhaustive: never = event;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const disbursementDecider: Decider<DisbursementCommand, DisbursementState, DisbursementEvent> = {
  decide: decideDisbursement,
  evolve: evolveDisbursement,
  initialState: initialDisbursementState,
};
