import type { RecordedEvent } from "@aidtrail/event-store";
import { type AuditEventText, canonicalEventJson, canonicalEventJsonOfText } from "../canonical-json.js";
import { leafHashOfText } from "../merkle-hash.js";
import { leafOfTextBytes } from "./event-leaf-bytes.js";
import { TextRecordedEvent } from "./text-event-store.js";

/** Leaf hash of an event: from its stored JSON text when it was read as text (the same bytes, cheaper). */
export function leafOf(event: RecordedEvent): Uint8Array {
  return event instanceof TextRecordedEvent ? leafOfText(event) : leafHashOfText(canonicalEventJson(event));
}

/**
 * Leaf hash of an event given with its data and metadata as stored JSON text: what the leaf worker
 * runs. Built as bytes where the texts allow (nearly always), else through the canonical string.
 */
export function leafOfText(event: AuditEventText): Uint8Array {
  return leafOfTextBytes(event) ?? leafHashOfText(canonicalEventJsonOfText(event));
}
