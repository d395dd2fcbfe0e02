import type { EventStore } from "@aidtrail/event-store";
import type { Kysely } from "kysely";
import { inclusionProof } from "../proofs.js";
import { buildReceipt, type Receipt } from "../receipt.js";
import { AuditRequestError } from "./audit-errors.js";
import { auditReader } from "./audit-proofs.js";
import { readCheckpointCovering, readLeafIndex } from "./checkpoint-rows.js";

// Spelled here rather than imported: the audit package does not depend on the domain.
const disbursementStream = (id: string) => `disbursement-${id}`;
const RECORDED = "DisbursementRecorded";

/**
 * The receipt of a disbursement: its DisbursementRecorded event, leaf index, inclusion
 * path and the latest signed checkpoint covering it — everything an inspector needs to
 * check offline, with only the log's verifier key.
 */
export async function receiptForDisbursement(db: Kysely<any>, store: EventStore, disbursementId: string): Promise<Receipt> {
  const events = await store.readStream(disbursementStream(disbursementId));
  const recorded = events.find((e) => e.type === RECORDED);
  if (recorded === undefined) throw new AuditRequestError("unknown_disbursement", `disbursement ${disbursementId} has not been recorded`);
  const leafIndex = await readLeafIndex(db, recorded.position);
  if (leafIndex === undefined) {
    throw new AuditRequestError("not_covered", `disbursement ${disbursementId} is recorded but not sealed yet; retry in a few seconds`);
  }
  const checkpoint = await readCheckpointCovering(db, leafIndex);
  if (checkpoint === undefined) {
    throw new AuditRequestError("not_covered", `disbursement ${disbursementId} is sealed but no checkpoint covers it yet; retry in a few seconds`);
  }
  const proof = await inclusionProof(auditReader(db), leafIndex, checkpoint.treeSize);
  return buildReceipt({ event: recorded, leafIndex, inclusionProof: proof, checkpoint: checkpoint.note });
}
