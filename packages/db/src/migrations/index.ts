import type { Migration } from "kysely/migration";
import * as eventStore from "./2026-11-29T0000-event-store.js";
import * as projectorLeases from "./2026-11-29T0100-projector-leases.js";
import * as piiKeys from "./2026-11-29T0200-pii-keys.js";
import * as auditCheckpoints from "./2026-11-29T0300-audit-checkpoints.js";
import * as appendBatchIndexLookups from "./2026-11-29T1830-append-batch-index-lookups.js";
import * as auditLeafRuns from "./2026-11-29T1900-audit-leaf-runs.js";
import * as appendAtomic from "./2026-11-29T2100-append-atomic.js";
import * as anomaliesAccountHouseholds from "./2026-11-29T2130-anomalies-account-households.js";
import * as auditTileInnerHashes from "./2026-11-29T2200-audit-tile-inner-hashes.js";
import * as auditInclusionFunction from "./2026-11-29T2210-audit-inclusion-function.js";
import * as appendAtomicRevisionChecks from "./2026-11-29T2500-append-atomic-revision-checks.js";
import * as projectionRequire from "./2026-11-29T2600-projection-require.js";
import * as eventLeaves from "./2026-11-30T0100-event-leaves.js";
import * as readModelsJsonDocuments from "./2026-11-30T0300-read-models-json-documents.js";

/** Every migration in order; names are timestamps so the order never changes. */
export const migrations: Record<string, Migration> = {
  "2026-11-29T0000-event-store": eventStore,
  "2026-11-29T0100-projector-leases": projectorLeases,
  "2026-11-29T0200-pii-keys": piiKeys,
  "2026-11-29T0300-audit-checkpoints": auditCheckpoints,
  "2026-11-29T1830-append-batch-index-lookups": appendBatchIndexLookups,
  "2026-11-29T1900-audit-leaf-runs": auditLeafRuns,
  "2026-11-29T2100-append-atomic": appendAtomic,
  "2026-11-29T2130-anomalies-account-households": anomaliesAccountHouseholds,
  "2026-11-29T2200-audit-tile-inner-hashes": auditTileInnerHashes,
  "2026-11-29T2210-audit-inclusion-function": auditInclusionFunction,
  "2026-11-29T2500-append-atomic-revision-checks": appendAtomicRevisionChecks,
  "2026-11-29T2600-projection-require": projectionRequire,
  "2026-11-30T0100-event-leaves": eventLeaves,
  "2026-11-30T0300-read-models-json-documents": readModelsJsonDocuments,
};
