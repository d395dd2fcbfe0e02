// The audit log on PostgreSQL: sealer projection, checkpoint signer, the service
// functions behind the HTTP routes and the CLI, and the full-log verifier.
export { type AuditConfig, AuditConfigError, auditConfigSchema, readAuditConfig } from "./audit-config.js";
export { type AuditErrorCode, AuditRequestError } from "./audit-errors.js";
export { type AuditKeys, DEV_KEY_FILE, loadAuditKeys } from "./audit-keys.js";
export {
  auditReader,
  type ConsistencyProofResult,
  consistencyProofFor,
  type InclusionProofResult,
  inclusionProofFor,
  latestCheckpoint,
} from "./audit-proofs.js";
export { AUDIT_PROJECTION, AUDIT_SCHEMA, CHECKPOINTS_TABLE, createAuditTables } from "./audit-tables.js";
export {
  readCheckpointAt,
  readCheckpoints,
  readLatestCheckpoint,
  readLeafIndex,
  readSealedSize,
  type StoredCheckpoint,
} from "./checkpoint-rows.js";
export { type CheckpointSigner, type CheckpointSignerOptions, signSealedTree, startCheckpointSigner } from "./checkpoint-signer.js";
export { type EventPage, exportEvents, formatCursor, parseCursor } from "./export-events.js";
export { LeafWorker } from "./leaf-worker.js";
export { PostgresTileStore } from "./postgres-tile-store.js";
export { receiptForDisbursement } from "./receipt-for-disbursement.js";
export { auditSealerProjection } from "./sealer-projection.js";
export { createSealerProjector, DEFAULT_SEALER_BATCH, type SealerProjector, sealerSource } from "./sealer-projector.js";
export { type RunningAuditSealer, type StartAuditSealerOptions, startAuditSealer } from "./start-audit-sealer.js";
export { StoredLeafEvent, StoredLeafStore } from "./stored-leaf-store.js";
export { TextEventStore, TextRecordedEvent, textSource } from "./text-event-store.js";
export { VERIFIER_GLOBAL, verifierBundle } from "./verifier-bundle.js";
export { type LogMismatch, type LogVerification, type VerifyLogOptions, verifyLog } from "./verify-log.js";
