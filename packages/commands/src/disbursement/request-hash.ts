import { createHash } from "node:crypto";
import { type DisbursementRequest, canonicalJson } from "@aidtrail/domain";

/** SHA-256 of the canonical JSON of the request: key order and spacing cannot make a retry look new. */
export function requestHash(request: DisbursementRequest): string {
  return `sha256:${createHash("sha256").update(canonicalJson(request), "utf8").digest("hex")}`;
}
