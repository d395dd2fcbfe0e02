import {
  type CalendarDate,
  type HouseholdEvent,
  type HouseholdStatus,
  type Member,
  type PovertyCause,
  type SealedPii,
  decideHousehold,
  streamIds,
} from "@aidtrail/domain";
import type { NewEvent } from "@aidtrail/event-store";
import { householdAggregate } from "./aggregates/domain-aggregates.js";
import type { StreamWriter } from "./aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { type CommandResult, commandResult } from "./command-result.js";
import type { PiiVault } from "./pii/pii-vault.js";
import { requireRole } from "./require-role.js";

/** A member as the officer types it: the national id in clear, sealed before any event is written. */
export type MemberInput = Omit<Member, "nationalId"> & { nationalId: string };

export interface RegisterHouseholdInput {
  householdId: string;
  villageId: string;
  headMemberId: string;
  members: MemberInput[];
  povertyCause: PovertyCause;
  registeredOn: CalendarDate;
  /** Clear bank account number, sealed like national ids. */
  bankAccount?: string;
}

export interface ChangeHouseholdStatusInput {
  householdId: string;
  to: HouseholdStatus;
  reason: string;
  effectiveOn: CalendarDate;
}

/** The new value only; the old one comes from the record. A national id arrives in clear. */
export type CorrectMemberInput =
  | { householdId: string; memberId: string; field: "nationalId"; newValue: string; reason: string }
  | { householdId: string; memberId: string; field: "name"; newValue: string; reason: string }
  | { householdId: string; memberId: string; field: "birthDate"; newValue: CalendarDate; reason: string }
  | { householdId: string; memberId: string; field: "relation"; newValue: Member["relation"]; reason: string }
  | { householdId: string; memberId: string; field: "schoolLevel"; newValue: Member["schoolLevel"]; reason: string }
  | { householdId: string; memberId: string; field: "health"; newValue: Member["health"]; reason: string };

export interface AddMemberInput {
  householdId: string;
  member: MemberInput;
  reason: string;
}

const withMetadata = (ctx: CommandContext) => (events: HouseholdEvent[]): NewEvent[] =>
  events.map((e) => ({ ...e, metadata: metadataFor(ctx, "officer") }));

/** Handlers of the household stream; PII is sealed here, before the decider sees it. */
export function householdHandlers(writer: StreamWriter, vault: PiiVault) {
  const sealMember = async (householdId: string, m: MemberInput): Promise<Member> => ({
    ...m,
    nationalId: await vault.seal(householdId, "nationalId", m.nationalId),
  });

  return {
    /** Registers a household; a retry with the same data is a no-op, other data already_exists. */
    async registerHousehold(input: RegisterHouseholdInput, ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "registering a household");
      const sealed = await vault.sealMany(input.householdId, [
        ...input.members.map((m) => ({ field: "nationalId" as const, clear: m.nationalId })),
        ...(input.bankAccount === undefined ? [] : [{ field: "bankAccount" as const, clear: input.bankAccount }]),
      ]);
      const members = input.members.map((m, i): Member => ({ ...m, nationalId: sealed[i]! }));
      const bankAccount: SealedPii | undefined = input.bankAccount === undefined ? undefined : sealed[input.members.length];
      const { bankAccount: _clear, ...rest } = input;
      const data = { ...rest, members, ...(bankAccount ? { bankAccount } : {}) };
      const streamId = streamIds.household(input.householdId);
      const r = await writer.write(streamId, householdAggregate, (s) =>
        withMetadata(ctx)(decideHousehold({ type: "RegisterHousehold", data }, s)),
      );
      return commandResult(streamId, r.revision, r.appended);
    },

    /** Records a status change with its reason, effective date and the officer. */
    async changeHouseholdStatus(input: ChangeHouseholdStatusInput, ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "changing a household's status");
      const streamId = streamIds.household(input.householdId);
      const data = { ...input, actor: ctx.actor.id };
      const r = await writer.write(streamId, householdAggregate, (s) =>
        withMetadata(ctx)(decideHousehold({ type: "ChangeHouseholdStatus", data }, s)),
      );
      return commandResult(streamId, r.revision, r.appended);
    },

    /** Corrects one member field: the event keeps old and new value (a national id sealed). */
    async correctMember(input: CorrectMemberInput, ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "correcting a member");
      const data =
        input.field === "nationalId" ? { ...input, newValue: await vault.seal(input.householdId, "nationalId", input.newValue) } : input;
      const streamId = streamIds.household(input.householdId);
      const r = await writer.write(streamId, householdAggregate, (s) =>
        withMetadata(ctx)(decideHousehold({ type: "CorrectMember", data }, s)),
      );
      return commandResult(streamId, r.revision, r.appended);
    },

    /** Adds a member (a birth, a marriage) with a reason. */
    async addMember(input: AddMemberInput, ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "adding a member");
      const member = await sealMember(input.householdId, input.member);
      const streamId = streamIds.household(input.householdId);
      const r = await writer.write(streamId, householdAggregate, (s) =>
        withMetadata(ctx)(decideHousehold({ type: "AddMember", data: { ...input, member } }, s)),
      );
      return commandResult(streamId, r.revision, r.appended);
    },
  };
}
