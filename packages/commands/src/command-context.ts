import type { Actor, Role } from "@aidtrail/domain";
import type { EventMetadata } from "@aidtrail/event-store";

/** Who issues a command, under which request, and when (business time): inputs, never a hidden clock. */
export interface CommandContext {
  actor: Actor;
  requestId: string;
  /** ISO-8601 timestamp of the request; written as `occurredAt`. */
  now: string;
}

/** The metadata every event carries (ARCHITECTURE.md "Streams"). */
export function metadataFor(ctx: CommandContext, role: Role | "system", ruleVersion?: number): EventMetadata {
  return {
    actor: ctx.actor.id,
    role,
    requestId: ctx.requestId,
    occurredAt: ctx.now,
    ...(ruleVersion === undefined ? {} : { ruleVersion }),
  };
}
