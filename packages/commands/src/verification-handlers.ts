import { type DisbursementState, type VerifiedPayment, VerificationRequest, decideVerification, streamIds } from "@aidtrail/domain";
import { disbursementAggregate, verificationAggregate } from "./aggregates/domain-aggregates.js";
import type { StreamWriter } from "./aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { type CommandResult, commandResult } from "./command-result.js";
import { requireRole } from "./require-role.js";

/** 核查: inspectors' findings, on the payment's own verification stream (see streamIds.verification). */
export function verificationHandlers(writer: StreamWriter) {
  return {
    /**
     * Records a finding about one paid disbursement; a not_received or amount_differs finding opens
     * a case, a later received closes it. The payment is read from its stream first (read-only):
     * the verification stream holds findings, the disbursement stream holds the money.
     */
    async recordVerification(body: unknown, ctx: CommandContext): Promise<CommandResult> {
      requireRole(ctx.actor, "inspector", "recording a verification");
      const request = VerificationRequest.parse(body);
      const { state } = await writer.read(streamIds.disbursement(request.disbursementId), disbursementAggregate);
      const payment = paymentOf(state.state);
      const streamId = streamIds.verification(request.disbursementId);
      const r = await writer.write(streamId, verificationAggregate, (s) =>
        decideVerification({ type: "RecordVerification", data: { request, payment, actor: ctx.actor } }, s).map((e) => ({
          ...e,
          metadata: metadataFor(ctx, "inspector"),
        })),
      );
      return commandResult(streamId, r.revision, r.appended);
    },
  };
}

function paymentOf(state: DisbursementState): VerifiedPayment | null {
  if (state.status === "none") return null;
  const amountFen = "amountFen" in state ? state.amountFen : null;
  return { disbursementId: state.disbursementId, householdId: state.request.householdId, status: state.status, amountFen, paidOn: state.request.paidOn };
}
