import { z } from "zod";
import { PositionQuery } from "../../schemas/common.js";

/** A tree size: a number of leaves, taken from a signed checkpoint. */
const TreeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const Base64Hash = z.string().describe("base64 SHA-256 hash");
const SignedNote = z.string().describe("a C2SP signed note: origin, size, base64 root, blank line, Ed25519 signature lines");

export const InclusionQuery = z.strictObject({
  position: PositionQuery.describe("global position of the event"),
  treeSize: TreeSize.optional().describe("a signed tree size; the latest signed checkpoint when omitted"),
});

export const InclusionProof = z.object({
  position: z.string(),
  leafIndex: z.int(),
  treeSize: z.int(),
  proof: z.array(Base64Hash).describe("RFC 9162 inclusion path, leaf side first").readonly(),
  checkpoint: SignedNote,
});

export const ConsistencyQuery = z.strictObject({ from: TreeSize, to: TreeSize });

export const ConsistencyProof = z.object({
  from: z.int(),
  to: z.int(),
  proof: z.array(Base64Hash).describe("RFC 9162 consistency proof").readonly(),
  fromCheckpoint: SignedNote,
  toCheckpoint: SignedNote,
});

/** The canonical event: its RFC 8785 bytes are the input of its leaf hash. */
export const CanonicalEvent = z.object({
  position: z.int(),
  streamId: z.string(),
  revision: z.int(),
  type: z.string(),
  data: z.unknown(),
  metadata: z.unknown(),
  recordedAt: z.string(),
});

export const Receipt = z
  .object({
    version: z.literal(1),
    event: CanonicalEvent,
    leafIndex: z.int(),
    treeSize: z.int(),
    inclusionProof: z.array(Base64Hash).readonly(),
    checkpoint: SignedNote,
  })
  .describe("verifiable offline with the log's verifier key: `aidtrail verify-receipt` or the /verify page");

export const ReceiptParams = z.strictObject({ id: z.string().min(1).max(200) });

export const EventsQuery = z.strictObject({
  after: z.string().max(45).optional().describe("the `next` cursor of the previous page; omit to start at the beginning"),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const EventPage = z.object({
  events: z.array(CanonicalEvent).readonly(),
  next: z.string().describe("cursor for the next page (the same one again when nothing new)"),
});
