import { z } from "zod";
import { canonicalJson } from "../shared/canonical-json.js";
import type { Decider } from "../shared/decider.js";
import { AlreadyExists, ImpossibleEvent, UnknownCommand } from "../shared/errors.js";
import { PositiveFen } from "../shared/fen.js";
import { Id } from "../shared/ids.js";

/** 入股: household funds invested in an enterprise that owes a fixed annual dividend for `years` years from `firstYear`. */
export const StakeRecordedData = z.strictObject({
  stakeId: Id,
  householdId: Id,
  enterprise: z.string().min(1),
  investedFen: PositiveFen,
  annualDividendFen: PositiveFen,
  firstYear: z.int().min(1000).max(9999),
  years: z.int().min(1).max(100),
});
export type StakeRecorded = { type: "StakeRecorded"; data: z.infer<typeof StakeRecordedData> };
export type StakeEvent = StakeRecorded;

export const RecordStakeCommand = z.strictObject({ type: z.literal("RecordStake"), data: StakeRecordedData });
export type RecordStake = z.infer<typeof RecordStakeCommand>;
export type StakeCommand = RecordStake;

export type RecordedStake = { status: "recorded" } & StakeRecorded["data"];
export type StakeState = { status: "none" } | RecordedStake;

export function initialStakeState(): StakeState {
  return { status: "none" };
}

export function decideStake(command: StakeCommand, state: StakeState): StakeEvent[] {
  switch (command.type) {
    case "RecordStake": {
      if (state.status === "recorded") {
        const { status: _s, ...recorded } = state;
        if (canonicalJson(recorded) === canonicalJson(command.data)) return [];
        throw new AlreadyExists("stake", command.data.stakeId);
      }
      return [{ type: "StakeRecorded", data: command.data }];
    }
    default: {
      const _exhaustive: never = command.type;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveStake(state: StakeState, event: StakeEvent): StakeState {
  switch (event.type) {
    case "StakeRecorded":
      if (state.status !== "none") throw new ImpossibleEvent(event.type, state.status);
      return { status: "recorded", ...event.data };
    default: {
      const _exhaustive: never = event.type;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const stakeDecider: Decider<StakeCommand, StakeState, StakeEvent> = {
  decide: decideStake,
  evolve: evolveStake,
  initialState: initialStakeState,
};
