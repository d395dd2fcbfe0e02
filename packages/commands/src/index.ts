// @aidtrail/commands — command handlers: load a stream's state, run the pure decider, append with
// the revision read (retrying conflicts), and the disbursement saga across streams.
export * from "./command-context.js";
export * from "./command-result.js";
export * from "./backoff.js";
export * from "./keyed-mutex.js";
export * from "./aggregates/aggregate.js";
export * from "./aggregates/domain-aggregates.js";
export * from "./aggregates/stream-state-cache.js";
export * from "./aggregates/stream-writer.js";
export * from "./household-handlers.js";
export * from "./program-handlers.js";
export * from "./asset-handlers.js";
export * from "./verification-handlers.js";
export * from "./disbursement/request-hash.js";
export * from "./disbursement/disbursement-answer.js";
export * from "./disbursement/disbursement-process.js";
export * from "./disbursement/record-disbursement.js";
export * from "./disbursement/decision-handlers.js";
export * from "./disbursement/recover-stuck-disbursements.js";
export * from "./pii/index.js";
export * from "./command-handlers.js";
