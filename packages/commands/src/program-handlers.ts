import { type AddAllocation, type DefineProgram, type ReviseProgramRule, decideProgram, streamIds } from "@aidtrail/domain";
import { programAggregate } from "./aggregates/domain-aggregates.js";
import type { StreamWriter } from "./aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { type CommandResult, commandResult } from "./command-result.js";
import { requireRole } from "./require-role.js";

/** Handlers of the program stream (which is also the budget); admins only. */
export function programHandlers(writer: StreamWriter) {
  const run = async (
    programId: string,
    command: DefineProgram | ReviseProgramRule | AddAllocation,
    ctx: CommandContext,
    ruleVersion?: number,
  ): Promise<CommandResult> => {
    requireRole(ctx.actor, "admin", "defining programs and budgets");
    const streamId = streamIds.program(programId);
    const r = await writer.write(streamId, programAggregate, (s) =>
      decideProgram(command, s).map((e) => ({ ...e, metadata: metadataFor(ctx, "admin", ruleVersion) })),
    );
    return commandResult(streamId, r.revision, r.appended);
  };
  return {
    /** Defines a program with rule version 1. */
    defineProgram: (data: DefineProgram["data"], ctx: CommandContext) =>
      run(data.programId, { type: "DefineProgram", data }, ctx, data.rule.version),
    /** Adds the next rule version; payments record which version they were computed with. */
    reviseProgramRule: (data: ReviseProgramRule["data"], ctx: CommandContext) =>
      run(data.programId, { type: "ReviseProgramRule", data }, ctx, data.rule.version),
    /** Adds budget; the same allocation id with the same amount is a no-op. */
    addAllocation: (data: AddAllocation["data"], ctx: CommandContext) => run(data.programId, { type: "AddAllocation", data }, ctx),
  };
}
