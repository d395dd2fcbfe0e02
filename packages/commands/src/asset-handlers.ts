import { type RecordLoan, type RecordStake, decideLoan, decideStake, streamIds } from "@aidtrail/domain";
import { loanAggregate, stakeAggregate } from "./aggregates/domain-aggregates.js";
import type { StreamWriter } from "./aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { type CommandResult, commandResult } from "./command-result.js";
import { requireRole } from "./require-role.js";

/** Equity stakes and microloans: recorded before any dividend or interest subsidy is paid on them. */
export function assetHandlers(writer: StreamWriter) {
  return {
    /** Records a household's stake in an enterprise and its annual dividend. */
    async recordStake(data: RecordStake["data"], ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "recording a stake");
      const streamId = streamIds.stake(data.stakeId);
      const r = await writer.write(streamId, stakeAggregate, (s) =>
        decideStake({ type: "RecordStake", data }, s).map((e) => ({ ...e, metadata: metadataFor(ctx, "officer") })),
      );
      return commandResult(streamId, r.revision, r.appended);
    },
    /** Records a microloan (principal, rate, term, use, dividend for enterprise use). */
    async recordLoan(data: RecordLoan["data"], ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "officer", "recording a loan");
      const streamId = streamIds.loan(data.loanId);
      const r = await writer.write(streamId, loanAggregate, (s) =>
        decideLoan({ type: "RecordLoan", data }, s).map((e) => ({ ...e, metadata: metadataFor(ctx, "officer") })),
      );
      return commandResult(streamId, r.revision, r.appended);
    },
  };
}
