import { type Assessment, currentRule, type DisbursementState, decideDisbursement, decideProgram, type ProgramState, streamIds } from "@aidtrail/domain";
import type { EventMetadata } from "@aidtrail/event-store";
import { disbursementAggregate, programAggregate } from "../aggregates/domain-aggregates.js";
import { CompanionConflict, type StreamWriter } from "../aggregates/stream-writer.js";
import type { AssessedInputs } from "./payment-inputs.js";

type Initiated = Extract<DisbursementState, { status: "initiated" }>;

/** How the saga's last step ended: stored (or answered by another runner), or a stream it was assessed on moved. */
export type ReserveAndRecordOutcome = "done" | "inputs_changed";

/** The program's rule was revised after the saga read it: the reservation is not decided, nothing is stored. */
class RuleRevisedMeanwhile extends Error {
  override readonly name = "RuleRevisedMeanwhile";
}

/**
 * The saga's last step: reserve the funds and record the payment, on the inputs it was assessed on.
 *
 * Where the store has appendMany, ONE atomic append, a joint write on the program stream: the
 * revision checks of the household (stake, loan) as read, FundsReserved (decided on the program
 * as it stands, grouped with this process's other writes of it), then DisbursementRecorded on
 * the payment stream at revision 0 (initiated, nothing else). It stores nothing if the household
 * changed after the read (an exit in another process), so a payment never commits after a change
 * its assessment did not see: "inputs_changed", and the caller reads again and re-assesses.
 * The program stream is written at the revision it is decided on, so the reservation also sees
 * whether the program's rule was revised since the read: then, too, nothing is stored and the
 * payment is assessed again on the new rule (on every store).
 *
 * Without appendMany (EventStoreDB/KurrentDB) two single-stream appends, reserve then record,
 * and no such check: a change committed between the saga's read and the record is not prevented,
 * only surfaced (the anomalies read model flags a payment to an exited household).
 */
export async function reserveAndRecord(
  writer: StreamWriter,
  initiated: Initiated,
  { context, checks }: AssessedInputs,
  assessment: Assessment,
  meta: EventMetadata,
): Promise<ReserveAndRecordOutcome> {
  const { request, disbursementId: id } = initiated;
  const programStream = streamIds.program(request.programId);
  const paymentStream = streamIds.disbursement(id);
  const withMeta = <E extends { type: string; data: unknown }>(events: E[]) => events.map((e) => ({ ...e, metadata: meta }));
  const reserve = (program: ProgramState) => {
    // A reservation already held (by a run before a crash) stands as it was decided.
    if (program.status === "defined" && !program.reservations.has(id) && currentRule(program).version !== assessment.ruleVersion) {
      throw new RuleRevisedMeanwhile(`program ${request.programId} is at rule version ${currentRule(program).version}, not ${assessment.ruleVersion}`);
    }
    return withMeta(decideProgram({ type: "ReserveFunds", data: { programId: request.programId, disbursementId: id, amountFen: assessment.amountFen } }, program));
  };
  const record = (state: DisbursementState) => withMeta(decideDisbursement({ type: "RecordDisbursement", data: { disbursementId: id, context } }, state));

  try {
    if (!writer.canWriteJointly) {
      await writer.write(programStream, programAggregate, reserve);
      await writer.write(paymentStream, disbursementAggregate, (v) => record(v.state));
      return "done";
    }
    await writer.writeJointly(programStream, programAggregate, (program) => ({
      before: checks,
      events: reserve(program), // none when a run before a crash reserved already
      after: [{ streamId: paymentStream, aggregate: disbursementAggregate, events: record(initiated), expectedRevision: 0 }],
    }));
    return "done";
  } catch (error) {
    if (error instanceof RuleRevisedMeanwhile) return "inputs_changed";
    if (!(error instanceof CompanionConflict)) throw error;
    if (error.streamId !== paymentStream) return "inputs_changed";
    // Another runner answered the payment first: that answer stands; read it for the caller.
    await writer.read(paymentStream, disbursementAggregate);
    return "done";
  }
}
