import type { z } from "zod";
import { disbursementEventSchemas, type DisbursementEvent } from "./disbursement/disbursement-events.js";
import { householdEventSchemas, type HouseholdEvent } from "./household/household-events.js";
import type { LoanEvent } from "./loan/loan.js";
import { LoanRecordedData } from "./loan/loan.js";
import { programEventSchemas, type ProgramEvent } from "./program/program-events.js";
import { EventInvalid } from "./shared/errors.js";
import { slotEventSchemas, type SlotEvent } from "./slot/slot.js";
import type { StakeEvent } from "./stake/stake.js";
import { type VerificationEvent, verificationEventSchemas } from "./verification/verification-events.js";
import { StakeRecordedData } from "./stake/stake.js";

/**
 * Every event type the domain emits, with the zod schema of its data. The event store validates
 * each event against it before writing: an unknown type or bad data is refused.
 */
export const domainEventSchemas = {
  ...householdEventSchemas,
  ...programEventSchemas,
  ...slotEventSchemas,
  ...disbursementEventSchemas,
  StakeRecorded: StakeRecordedData,
  LoanRecorded: LoanRecordedData,
  ...verificationEventSchemas,
} as const satisfies Record<string, z.ZodType>;

export type DomainEventType = keyof typeof domainEventSchemas;
export type DomainEvent = HouseholdEvent | ProgramEvent | SlotEvent | DisbursementEvent | StakeEvent | LoanEvent | VerificationEvent;

export const domainEventTypes = Object.keys(domainEventSchemas) as DomainEventType[];

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.hasOwn(domainEventSchemas, type);
}

/** Validates `{ type, data }` and returns it typed (data as parsed); throws event_invalid otherwise. */
export function parseDomainEvent(event: { type: string; data: unknown }): DomainEvent {
  if (!isDomainEventType(event.type)) throw new EventInvalid(event.type, "unknown event type");
  const result = domainEventSchemas[event.type].safeParse(event.data);
  if (!result.success) {
    throw new EventInvalid(event.type, result.error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; "));
  }
  return { type: event.type, data: result.data } as DomainEvent;
}
