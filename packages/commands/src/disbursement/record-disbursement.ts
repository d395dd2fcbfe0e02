import { DisbursementRequest, InputsInvalid, decideDisbursement, requirePositiveFen, streamIds } from "@aidtrail/domain";
import { disbursementAggregate } from "../aggregates/domain-aggregates.js";
import type { StreamWriter } from "../aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "../command-context.js";
import { requireRole } from "../require-role.js";
import { type DisbursementAnswer, answerOf } from "./disbursement-answer.js";
import type { DisbursementProcess } from "./disbursement-process.js";
import { recordInOneAppend } from "./record-in-one-append.js";
import { requestHash } from "./request-hash.js";

/**
 * POST /v1/disbursements. A new payment that will be recorded is stored in one multi-stream append
 * where the store allows (recordInOneAppend); anything else takes the saga. There the
 * DisbursementInitiated event (expected revision "no stream") is the idempotency anchor; the rest
 * of the saga runs (or resumes) in DisbursementProcess. Refusals
 * before the anchor (bad body, wrong role, same id with another body) are thrown and leave no
 * event; refusals after it are recorded and returned as the lasting answer.
 */
export async function recordDisbursement(
  writer: StreamWriter,
  process: DisbursementProcess,
  body: unknown,
  ctx: CommandContext,
): Promise<DisbursementAnswer> {
  requireRole(ctx.actor, "officer", "recording a disbursement");
  // Invariant 6 first, with its own code: a float never reaches an event.
  requirePositiveFen("amountFen", (body as { amountFen?: unknown } | null)?.amountFen);
  const parsed = DisbursementRequest.safeParse(body);
  if (!parsed.success) throw new InputsInvalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return recordParsedDisbursement(writer, process, parsed.data, ctx);
}

/**
 * `recordDisbursement` for a body already parsed by DisbursementRequest (the HTTP route's schema
 * does it): the same path without parsing it a second time.
 */
export async function recordParsedDisbursement(
  writer: StreamWriter,
  process: DisbursementProcess,
  request: DisbursementRequest,
  ctx: CommandContext,
): Promise<DisbursementAnswer> {
  requireRole(ctx.actor, "officer", "recording a disbursement");
  const hash = requestHash(request);
  const atOnce = await recordInOneAppend(writer, request, hash, ctx);
  if (atOnce !== null) return atOnce;
  // Read what the payment is assessed on while the initiating append is in flight: one round trip less.
  const context = process.readContext(request);
  context.catch(() => {}); // awaited in process.run; unused when initiating refuses or the payment is decided
  await writer.write(streamIds.disbursement(request.disbursementId), disbursementAggregate, (v) =>
    decideDisbursement({ type: "InitiateDisbursement", data: { request, requestHash: hash, actor: ctx.actor } }, v.state).map((e) => ({
      ...e,
      metadata: metadataFor(ctx, "officer"),
    })),
  );
  return answerOf(await process.run(request.disbursementId, ctx, "officer", context));
}
