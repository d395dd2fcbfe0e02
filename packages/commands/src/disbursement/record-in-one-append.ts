import {
  type DisbursementContext,
  type DisbursementRequest,
  DomainError,
  type ProgramState,
  StreamConflict,
  assessDisbursement,
  decideDisbursement,
  decideProgram,
  decideSlot,
  disbursementDecider,
  initialSlotState,
  streamIds,
} from "@aidtrail/domain";
import { disbursementAggregate, programAggregate, slotAggregate } from "../aggregates/domain-aggregates.js";
import type { Aggregate } from "../aggregates/aggregate.js";
import type { Companion, Decision } from "../aggregates/joint-append.js";
import { CompanionConflict, type StreamWriter } from "../aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "../command-context.js";
import { type DisbursementAnswer, answerOf } from "./disbursement-answer.js";
import { type AssessedInputs, paymentInputs } from "./payment-inputs.js";

/**
 * A new payment that will be recorded, in ONE atomic append where the store has one: Initiated,
 * SlotClaimed, FundsReserved and Recorded, in the saga's order, the payment and slot streams
 * expected new and the program stream at its revision. The program write is grouped with the
 * other payments of the program in this process, so a group of payments is one multi-stream append.
 *
 * Returns null for anything else — a refusal, a retry, the same id with another body, a slot used
 * before, a store without multi-stream appends — which the saga then handles exactly as always.
 * Nothing is stored before null is returned.
 */
export async function recordInOneAppend(
  writer: StreamWriter,
  request: DisbursementRequest,
  requestHash: string,
  ctx: CommandContext,
): Promise<DisbursementAnswer | null> {
  if (!writer.canWriteJointly) return null;
  const paymentStream = streamIds.disbursement(request.disbursementId);
  if (existsHere(writer, paymentStream, disbursementAggregate)) return null;
  const { context: seen, checks } = await inputsAsSeen(writer, request);
  // The assessment is made again on the program as the group finds it; this one only filters
  // out refusals early, so they do not make the group re-read the program. A refusal is never
  // answered from what this process saw: the saga reads the inputs fresh and decides it.
  let slotKey: string | null;
  try {
    slotKey = assessDisbursement(request, seen).slotKey;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
  if (slotKey !== null && existsHere(writer, streamIds.slot(slotKey), slotAggregate)) return null;
  try {
    await writer.writeJointly(streamIds.program(request.programId), programAggregate, (program) =>
      paymentInOneAppend(request, requestHash, { ...seen, program }, checks, ctx),
    );
  } catch (error) {
    // A companion that exists (a retry, a taken slot) or a refusal on the program as it stands:
    // the saga decides and answers it. Exhausted retries and outages are errors, as in the saga.
    if (error instanceof CompanionConflict || (error instanceof DomainError && !(error instanceof StreamConflict))) return null;
    throw error;
  }
  return answerOf((await writer.lastSeen(paymentStream, disbursementAggregate)).state);
}

/**
 * The payment's inputs as this process last saw them (read only the first time), each with a
 * revision check for the append (see paymentInputs), which makes them as fresh as a read after the
 * request came in, without the round trip. A check that fails (another process changed the
 * household) drops the payment to the saga, which reads it again.
 */
function inputsAsSeen(writer: StreamWriter, request: DisbursementRequest): Promise<AssessedInputs> {
  return paymentInputs(request, async (streamId, aggregate) => writer.lastSeen(streamId, aggregate));
}

/** A stream this process knows to have events: a joint write expecting it new would only conflict. */
function existsHere(writer: StreamWriter, streamId: string, aggregate: Aggregate<unknown>): boolean {
  return (writer.cache.peek(streamId, aggregate)?.revision ?? -1) >= 0;
}

/** The saga's four events for a payment recorded on `context.program`; throws the saga's refusal otherwise. */
function paymentInOneAppend(
  request: DisbursementRequest,
  requestHash: string,
  context: DisbursementContext & { program: ProgramState },
  checks: readonly Companion[],
  ctx: CommandContext,
): Decision {
  const id = request.disbursementId;
  const assessment = assessDisbursement(request, context);
  const meta = metadataFor(ctx, "officer", assessment.ruleVersion);
  const withMeta = <E extends { type: string; data: unknown }>(events: E[], metadata = meta) => events.map((e) => ({ ...e, metadata }));

  const none = disbursementDecider.initialState();
  const initiated = decideDisbursement({ type: "InitiateDisbursement", data: { request, requestHash, actor: ctx.actor } }, none);
  const recorded = decideDisbursement({ type: "RecordDisbursement", data: { disbursementId: id, context } }, initiated.reduce(disbursementDecider.evolve, none));
  const reserved = decideProgram({ type: "ReserveFunds", data: { programId: request.programId, disbursementId: id, amountFen: assessment.amountFen } }, context.program);
  const paymentStream = streamIds.disbursement(id);
  const slot: Companion[] =
    assessment.slotKey === null
      ? []
      : [
          {
            streamId: streamIds.slot(assessment.slotKey),
            aggregate: slotAggregate,
            events: withMeta(decideSlot({ type: "ClaimSlot", data: { slotKey: assessment.slotKey, disbursementId: id } }, initialSlotState())),
            expectedRevision: "no_stream",
          },
        ];
  return {
    before: [
      { streamId: paymentStream, aggregate: disbursementAggregate, events: withMeta(initiated, metadataFor(ctx, "officer")), expectedRevision: "no_stream" },
      ...slot,
      ...checks,
    ],
    events: withMeta(reserved),
    after: [{ streamId: paymentStream, aggregate: disbursementAggregate, events: withMeta(recorded), expectedRevision: 0 }],
  };
}
