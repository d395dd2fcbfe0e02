import {
  type DisbursementEvent,
  type DisbursementState,
  type HouseholdState,
  type LoanState,
  type ProgramEvent,
  type ProgramState,
  type SlotState,
  type StakeState,
  type VerificationState,
  disbursementDecider,
  evolveProgram,
  householdDecider,
  initialProgramState,
  loanDecider,
  replayProgram,
  slotDecider,
  stakeDecider,
  verificationDecider,
} from "@aidtrail/domain";
import type { RecordedEvent } from "@aidtrail/event-store";
import { type Aggregate, fromDecider } from "./aggregate.js";

export const householdAggregate: Aggregate<HouseholdState> = fromDecider(householdDecider);
export const slotAggregate: Aggregate<SlotState> = fromDecider(slotDecider);
export const stakeAggregate: Aggregate<StakeState> = fromDecider(stakeDecider);
export const loanAggregate: Aggregate<LoanState> = fromDecider(loanDecider);
export const verificationAggregate: Aggregate<VerificationState> = fromDecider(verificationDecider);

const asProgramEvent = (e: RecordedEvent) => ({ type: e.type, data: e.data }) as ProgramEvent;

/** The program stream is the budget and grows by one reservation per payment: replay it in linear time. */
export const programAggregate: Aggregate<ProgramState> = {
  initialState: initialProgramState,
  evolve: (state, event) => evolveProgram(state, asProgramEvent(event)),
  replay: (events) => replayProgram(events.map(asProgramEvent)),
};

/**
 * A disbursement with the global positions of its answers: a retry must get the first answer,
 * position included, which the domain state alone does not carry.
 */
export interface DisbursementView {
  state: DisbursementState;
  /** Position of DisbursementRecorded, and the status it recorded (the first answer). */
  recorded: { position: string; status: "recorded" | "pending_approval" } | null;
  /** Position of DisbursementRefused. */
  refusedPosition: string | null;
  /** When DisbursementInitiated was stored; the recovery sweep looks for old unfinished ones. */
  initiatedAt: Date | null;
}

export const disbursementAggregate: Aggregate<DisbursementView> = {
  initialState: () => ({ state: disbursementDecider.initialState(), recorded: null, refusedPosition: null, initiatedAt: null }),
  evolve(view, event) {
    const domainEvent = { type: event.type, data: event.data } as DisbursementEvent;
    const state = disbursementDecider.evolve(view.state, domainEvent);
    switch (domainEvent.type) {
      case "DisbursementInitiated":
        return { ...view, state, initiatedAt: event.recordedAt };
      case "DisbursementRecorded":
        return { ...view, state, recorded: { position: event.position.toString(), status: domainEvent.data.status } };
      case "DisbursementRefused":
        return { ...view, state, refusedPosition: event.position.toString() };
      default:
        return { ...view, state };
    }
  },
};
