import type { DisbursementRequest } from "@aidtrail/domain";
import type { EventStore } from "@aidtrail/event-store";
import { StreamWriter } from "./aggregates/stream-writer.js";
import { assetHandlers } from "./asset-handlers.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.js";
import type { CommandContext } from "./command-context.js";
import { decisionHandlers } from "./disbursement/decision-handlers.js";
import type { DisbursementAnswer } from "./disbursement/disbursement-answer.js";
import { DisbursementProcess } from "./disbursement/disbursement-process.js";
import { recordDisbursement, recordParsedDisbursement } from "./disbursement/record-disbursement.js";
import { type RecoveryReport, recoverStuckDisbursements } from "./disbursement/recover-stuck-disbursements.js";
import { householdHandlers } from "./household-handlers.js";
import type { PiiVault } from "./pii/pii-vault.js";
import { programHandlers } from "./program-handlers.js";
import { verificationHandlers } from "./verification-handlers.js";

export interface CommandHandlerOptions {
  store: EventStore;
  vault: PiiVault;
  retry?: Partial<RetryPolicy>;
  /** Streams whose state is kept in memory (LRU). */
  cacheSize?: number;
}

/** Every command handler of aidtrail over one event store; one instance per process shares its cache and mutexes. */
export function createCommandHandlers(options: CommandHandlerOptions) {
  const writer = new StreamWriter(options.store, { ...DEFAULT_RETRY_POLICY, ...options.retry }, options.cacheSize);
  const saga = new DisbursementProcess(writer);
  return {
    ...householdHandlers(writer, options.vault),
    ...programHandlers(writer),
    ...assetHandlers(writer),
    ...decisionHandlers(writer, saga),
    ...verificationHandlers(writer),
    /** Records a payment (see README: initiate, assess, slot, reserve, record; refusals compensated). */
    recordDisbursement: (body: unknown, ctx: CommandContext): Promise<DisbursementAnswer> => recordDisbursement(writer, saga, body, ctx),
    /** `recordDisbursement` for a body its caller has already parsed with DisbursementRequest (the route's schema). */
    recordParsedDisbursement: (request: DisbursementRequest, ctx: CommandContext): Promise<DisbursementAnswer> =>
      recordParsedDisbursement(writer, saga, request, ctx),
    /** Finishes payments initiated before `olderThan` and releases what answered ones still hold. */
    recoverStuckDisbursements: (olderThan: Date, now?: Date): Promise<RecoveryReport> =>
      recoverStuckDisbursements(options.store, olderThan, { process: saga, ...(now ? { now } : {}) }),
  };
}

export type CommandHandlers = ReturnType<typeof createCommandHandlers>;
