import { type AuditEventInput, toCanonicalEvent } from "./canonical-json.js";
import { toBase64 } from "./verify/bytes.js";
import { parseCheckpoint } from "./verify/checkpoint.js";
import type { Receipt } from "./verify/receipt.js";
import { parseSignedNote } from "./verify/signed-note.js";

export type { Receipt } from "./verify/receipt.js";

/** What the server knows when it issues a receipt. */
export interface ReceiptInput {
  readonly event: AuditEventInput;
  readonly leafIndex: number;
  /** Inclusion path of the leaf in the tree of the checkpoint's size. */
  readonly inclusionProof: readonly Uint8Array[];
  /** The signed checkpoint note the proof leads to. */
  readonly checkpoint: string;
}

/** Builds a receipt; treeSize is copied from the checkpoint so the two cannot disagree. */
export function buildReceipt(input: ReceiptInput): Receipt {
  const { size } = parseCheckpoint(parseSignedNote(input.checkpoint).text);
  if (input.leafIndex >= size) throw new RangeError(`leaf ${input.leafIndex} is not in a tree of size ${size}`);
  return {
    version: 1,
    event: toCanonicalEvent(input.event),
    leafIndex: input.leafIndex,
    treeSize: size,
    inclusionProof: input.inclusionProof.map(toBase64),
    checkpoint: input.checkpoint,
  };
}
