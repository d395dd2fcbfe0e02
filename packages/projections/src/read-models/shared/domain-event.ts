import type { DomainEvent } from "@aidtrail/domain";
import type { RecordedEvent } from "@aidtrail/event-store";

/** A stored event whose type and data are one of the domain's; narrow it with `switch (e.type)`. */
export type DomainRecordedEvent = DomainEvent & Omit<RecordedEvent, "type" | "data">;

/**
 * The batch as domain events. No re-validation: the store validated each event against the
 * domain registry when it was appended, and parsing again would cost more than the projection.
 * Events of other types fall through every `switch` and are ignored.
 */
export function asDomainEvents(events: readonly RecordedEvent[]): readonly DomainRecordedEvent[] {
  return events as unknown as readonly DomainRecordedEvent[];
}

/** The disbursement id an event of a disbursement stream is about, or null for other events. */
export function disbursementIdOf(e: DomainRecordedEvent): string | null {
  switch (e.type) {
    case "DisbursementInitiated":
      return e.data.request.disbursementId;
    case "DisbursementRecorded":
    case "DisbursementRefused":
    case "DisbursementApproved":
    case "DisbursementRejected":
    case "DisbursementReversed":
      return e.data.disbursementId;
    default:
      return null;
  }
}
