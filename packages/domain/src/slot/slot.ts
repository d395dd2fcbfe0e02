import { z } from "zod";
import type { Decider } from "../shared/decider.js";
import { ImpossibleEvent, SlotNotHeld, SlotTaken, UnknownCommand } from "../shared/errors.js";
import { Id } from "../shared/ids.js";

const SlotKey = z.string().min(1);
export const SlotClaimedData = z.strictObject({ slotKey: SlotKey, disbursementId: Id });
export const SlotReleasedData = z.strictObject({ slotKey: SlotKey, disbursementId: Id, reason: z.string().min(1) });

export const slotEventSchemas = { SlotClaimed: SlotClaimedData, SlotReleased: SlotReleasedData } as const;
export type SlotClaimed = { type: "SlotClaimed"; data: z.infer<typeof SlotClaimedData> };
export type SlotReleased = { type: "SlotReleased"; data: z.infer<typeof SlotReleasedData> };
export type SlotEvent = SlotClaimed | SlotReleased;

export const ClaimSlotCommand = z.strictObject({ type: z.literal("ClaimSlot"), data: SlotClaimedData });
/** Compensation after a failed recording, or on rejection or reversal: the period can be paid again. */
export const ReleaseSlotCommand = z.strictObject({ type: z.literal("ReleaseSlot"), data: SlotReleasedData });
export const SlotCommand = z.discriminatedUnion("type", [ClaimSlotCommand, ReleaseSlotCommand]);
export type ClaimSlot = z.infer<typeof ClaimSlotCommand>;
export type ReleaseSlot = z.infer<typeof ReleaseSlotCommand>;
export type SlotCommand = z.infer<typeof SlotCommand>;

export type SlotState =
  | { status: "free"; lastHolder: string | null }
  | { status: "held"; disbursementId: string };

export function initialSlotState(): SlotState {
  return { status: "free", lastHolder: null };
}

export function decideSlot(command: SlotCommand, state: SlotState): SlotEvent[] {
  switch (command.type) {
    case "ClaimSlot": {
      if (state.status === "held") {
        if (state.disbursementId === command.data.disbursementId) return [];
        throw new SlotTaken(command.data.slotKey, state.disbursementId);
      }
      return [{ type: "SlotClaimed", data: command.data }];
    }
    case "ReleaseSlot": {
      if (state.status === "held" && state.disbursementId === command.data.disbursementId) return [{ type: "SlotReleased", data: command.data }];
      // A retried compensation finds the slot already released by the same disbursement.
      if (state.status === "free" && state.lastHolder === command.data.disbursementId) return [];
      throw new SlotNotHeld(command.data.slotKey, command.data.disbursementId);
    }
    default: {
      const _exhaustive: never = command;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveSlot(state: SlotState, event: SlotEvent): SlotState {
  switch (event.type) {
    case "SlotClaimed":
      if (state.status !== "free") throw new ImpossibleEvent(event.type, state.status);
      return { status: "held", disbursementId: event.data.disbursementId };
    case "SlotReleased":
      if (state.status !== "held") throw new ImpossibleEvent(event.type, state.status);
      return { status: "free", lastHolder: event.data.disbursementId };
    default: {
      const _exhaustive: never = event;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const slotDecider: Decider<SlotCommand, SlotState, SlotEvent> = {
  decide: decideSlot,
  evolve: evolveSlot,
  initialState: initialSlotState,
};
