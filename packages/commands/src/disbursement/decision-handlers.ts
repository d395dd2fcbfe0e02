import { decideDisbursement, streamIds } from "@aidtrail/domain";
import { disbursementAggregate } from "../aggregates/domain-aggregates.js";
import type { StreamWriter } from "../aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "../command-context.js";
import { type CommandResult, commandResult } from "../command-result.js";
import type { DisbursementProcess } from "./disbursement-process.js";

/** Approve, reject and reverse; the last two free the slot and the budget the payment held. */
export function decisionHandlers(writer: StreamWriter, process: DisbursementProcess) {
  const decide = async (
    disbursementId: string,
    ctx: CommandContext,
    role: "officer" | "approver",
    command: Parameters<typeof decideDisbursement>[0] | ((v: Awaited<ReturnType<DisbursementProcess["view"]>>) => Parameters<typeof decideDisbursement>[0]),
  ): Promise<CommandResult> => {
    const streamId = streamIds.disbursement(disbursementId);
    let result: CommandResult | undefined;
    let failure: unknown;
    try {
      const r = await writer.write(streamId, disbursementAggregate, (v) =>
        decideDisbursement(typeof command === "function" ? command(v) : command, v.state).map((e) => ({ ...e, metadata: metadataFor(ctx, role) })),
      );
      result = commandResult(streamId, r.revision, r.appended);
    } catch (error) {
      failure = error;
    }
    // Also after a refusal (e.g. already_reversed on a retry): a crash may have left the release undone.
    await process.settle(await process.view(disbursementId), ctx, role);
    if (failure !== undefined || result === undefined) throw failure;
    return result;
  };

  return {
    /** Second signature on a pending payment; never by its preparer (self_approval). */
    approveDisbursement: (input: { disbursementId: string }, ctx: CommandContext) =>
      decide(input.disbursementId, ctx, "approver", { type: "ApproveDisbursement", data: { disbursementId: input.disbursementId, actor: ctx.actor } }),
    /** Rejects a pending payment; its slot and reservation are released. */
    rejectDisbursement: (input: { disbursementId: string; reason: string }, ctx: CommandContext) =>
      decide(input.disbursementId, ctx, "approver", {
        type: "RejectDisbursement",
        data: { disbursementId: input.disbursementId, actor: ctx.actor, reason: input.reason },
      }),
    /** 冲正: a new event cancelling a recorded or approved payment; the original stays, slot and budget are freed. */
    reverseDisbursement: (input: { disbursementId: string; reason: string }, ctx: CommandContext) =>
      decide(input.disbursementId, ctx, "officer", (v) => ({
        type: "ReverseDisbursement",
        data: {
          disbursementId: input.disbursementId,
          actor: ctx.actor,
          reason: input.reason,
          ...(v.recorded ? { originalPosition: v.recorded.position } : {}),
        },
      })),
  };
}
