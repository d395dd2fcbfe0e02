import {
  AlreadyDecided,
  DisbursementInputs,
  type DisbursementRequest,
  type DisbursementState,
  DomainError,
  SlotTaken,
  StreamConflict,
  assessDisbursement,
  decideDisbursement,
  decideProgram,
  decideSlot,
  slotKeyFor,
  streamIds,
} from "@aidtrail/domain";
import {
  type DisbursementView,
  disbursementAggregate,
  programAggregate,
  slotAggregate,
} from "../aggregates/domain-aggregates.js";
import type { StreamWriter } from "../aggregates/stream-writer.js";
import { type CommandContext, metadataFor } from "../command-context.js";
import { KeyedMutex } from "../keyed-mutex.js";
import { type AssessedInputs, paymentInputs } from "./payment-inputs.js";
import { reserveAndRecord } from "./reserve-and-record.js";

type Initiated = Extract<DisbursementState, { status: "initiated" }>;
type ActingRole = "officer" | "approver" | "system";

/** Assessments of one run before it gives up (stream_conflict, left initiated for a retry): each after a change to the household. */
const MAX_ASSESSMENTS = 5;

/** Statuses that no longer hold a slot or budget: whatever they still hold must be released. */
export function releasesHoldings(state: DisbursementState): boolean {
  return state.status === "refused" || state.status === "rejected" || state.status === "reversed";
}

/**
 * The saga of one payment across streams, without multi-stream transactions:
 * initiated → (assess) → slot claimed → funds reserved → recorded, or refused + compensated.
 * Every step is idempotent for the same disbursement id, so running it again — a client's retry,
 * the recovery sweep, a second process — finishes a half-done payment and never doubles it.
 */
export class DisbursementProcess {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly writer: StreamWriter) {}

  /** Reads the payment's stream (through the cache). */
  async view(disbursementId: string): Promise<DisbursementView> {
    return (await this.writer.read(streamIds.disbursement(disbursementId), disbursementAggregate)).state;
  }

  /**
   * Finishes an initiated payment (or does nothing if it is decided), settles what it must release,
   * returns its view. `context`: the payment's inputs and their revisions, read when the request
   * came in (see readContext), so that read overlaps the initiating append.
   */
  run(disbursementId: string, ctx: CommandContext, role: ActingRole, context?: Promise<AssessedInputs>): Promise<DisbursementView> {
    // One runner per payment in this process: concurrent retries queue and find it done.
    return this.mutex.run(disbursementId, async () => {
      // As last seen, without a read: a lagging view can only say "initiated" for a payment that
      // is decided, and every step of advance() is idempotent and checked by an expected revision,
      // ending in AlreadyDecided. Once decided, the first answer never changes.
      const before = await this.lastSeen(disbursementId);
      if (before.state.status === "initiated") await this.advance(before.state, ctx, role, context);
      const after = await this.lastSeen(disbursementId);
      await this.settle(after, ctx, role);
      return after;
    });
  }

  /**
   * What a payment is assessed on: household, program, and its stake or loan. Read fresh from the
   * store (a household that exited must be refused), and no earlier than the request arrived; the
   * append that records it checks that none but the program moved since (reserveAndRecord).
   */
  readContext(request: DisbursementRequest): Promise<AssessedInputs> {
    return paymentInputs(request, (streamId, aggregate) => this.writer.read(streamId, aggregate));
  }

  private async lastSeen(disbursementId: string): Promise<DisbursementView> {
    return (await this.writer.lastSeen(streamIds.disbursement(disbursementId), disbursementAggregate)).state;
  }

  /** Releases the slot and the reservation a refused, rejected or reversed payment still holds (idempotent). */
  async settle(view: DisbursementView, ctx: CommandContext, role: ActingRole): Promise<void> {
    const s = view.state;
    if (!releasesHoldings(s) || s.status === "none" || s.status === "initiated") return;
    const id = s.disbursementId;
    const reason = s.status === "refused" ? `refused: ${s.code}` : s.status;
    const meta = metadataFor(ctx, role);
    const keys = "slotKey" in s ? (s.slotKey === null ? [] : [s.slotKey]) : await this.candidateSlotKeys(s.request);
    for (const key of keys) {
      await this.writer.write(streamIds.slot(key), slotAggregate, (slot) =>
        slot.status === "held" && slot.disbursementId === id
          ? decideSlot({ type: "ReleaseSlot", data: { slotKey: key, disbursementId: id, reason } }, slot).map((e) => ({ ...e, metadata: meta }))
          : [],
      );
    }
    const programId = s.request.programId;
    await this.writer.write(streamIds.program(programId), programAggregate, (p) =>
      p.status === "defined" && p.reservations.has(id)
        ? decideProgram({ type: "ReleaseReservation", data: { programId, disbursementId: id, reason } }, p).map((e) => ({ ...e, metadata: meta }))
        : [],
    );
  }

  private async advance(initiated: Initiated, ctx: CommandContext, role: ActingRole, prefetched?: Promise<AssessedInputs>): Promise<void> {
    const { request, disbursementId: id } = initiated;
    try {
      let inputs = prefetched ?? this.readContext(request);
      for (let assessments = 1; ; assessments++) {
        const assessed = await inputs;
        const assessment = assessDisbursement(request, assessed.context);
        const meta = metadataFor(ctx, role, assessment.ruleVersion);
        if (assessment.slotKey !== null) await this.claimSlot(assessment.slotKey, id, ctx, role, meta);
        if ((await reserveAndRecord(this.writer, initiated, assessed, assessment, meta)) === "done") return;
        // The household (stake, loan) changed after the read and nothing was stored: read it
        // again and assess again (a refusal now is recorded below). A crash here leaves the
        // payment initiated, holding its slot: a retry or the sweep resumes it from the read.
        if (assessments === MAX_ASSESSMENTS) throw new StreamConflict(streamIds.household(request.householdId));
        inputs = this.readContext(request);
      }
    } catch (error) {
      // Infrastructure failures and exhausted retries are not answers: leave it initiated for a retry.
      if (!(error instanceof DomainError) || error instanceof StreamConflict) throw error;
      if (error instanceof AlreadyDecided) return; // another runner answered first
      await this.writer.write(streamIds.disbursement(id), disbursementAggregate, (v) => {
        if (v.state.status !== "initiated") return []; // recorded or refused meanwhile: that answer stands
        return decideDisbursement({ type: "RefuseDisbursement", data: { disbursementId: id, code: error.code, message: error.message } }, v.state).map(
          (e) => ({ ...e, metadata: metadataFor(ctx, role) }),
        );
      });
    }
  }

  /** Claims the period slot; a holder that was refused, rejected or reversed but not yet settled is settled first. */
  private async claimSlot(slotKey: string, id: string, ctx: CommandContext, role: ActingRole, meta: Record<string, unknown>): Promise<void> {
    const claim = () =>
      this.writer.write(streamIds.slot(slotKey), slotAggregate, (slot) =>
        decideSlot({ type: "ClaimSlot", data: { slotKey, disbursementId: id } }, slot).map((e) => ({ ...e, metadata: meta })),
      );
    try {
      await claim();
    } catch (error) {
      if (!(error instanceof SlotTaken)) throw error;
      const holder = await this.view(error.holderDisbursementId);
      // A live holder (paid, pending, or still in flight) keeps the slot: invariant 2.
      if (!releasesHoldings(holder.state)) throw error;
      await this.settle(holder, ctx, role);
      await claim();
    }
  }

  /** Slot keys a refused payment may have claimed: under any rule version the program ever had. */
  private async candidateSlotKeys(request: DisbursementRequest): Promise<string[]> {
    const program = (await this.writer.read(streamIds.program(request.programId), programAggregate)).state;
    if (program.status !== "defined") return [];
    const keys = new Set<string>();
    for (const rule of program.rules) {
      const inputs = DisbursementInputs.safeParse(request.inputs ?? { kind: rule.kind });
      if (!inputs.success) continue;
      const key = slotKeyFor(rule, request, inputs.data);
      if (key !== null) keys.add(key);
    }
    return [...keys];
  }
}
