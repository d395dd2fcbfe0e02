// Server-side core of the audit log: pure, no database or HTTP. The offline verifier
// is separately importable as "@aidtrail/audit/verify".
export {
  type AuditEventInput,
  type AuditEventText,
  type CanonicalEvent,
  canonicalEventBytes,
  canonicalEventJson,
  canonicalEventJsonOfText,
  canonicalize,
  canonicalJsonBytes,
  type JsonValue,
  NotCanonicalisableError,
  toCanonicalEvent,
} from "./canonical-json.js";
export { canonicalizeJsonbText } from "./canonical-jsonb-text.js";
export {
  type Checkpoint,
  type CheckpointInput,
  formatCheckpoint,
  isValidOrigin,
  parseCheckpoint,
  signCheckpoint,
} from "./checkpoint.js";
export { MemoryTileStore } from "./memory-tile-store.js";
export { emptyRoot, foldSubtrees, HASH_SIZE, leafHash, leafHashOfText, nodeHash, syncNodeHasher } from "./merkle-hash.js";
export {
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  type ProofPlan,
  resolvePlan,
  treeRoot,
} from "./proofs.js";
export { buildReceipt, type Receipt, type ReceiptInput } from "./receipt.js";
export {
  formatVerifierKey,
  generateNoteKey,
  type NoteSigner,
  noteKeyIdSync,
  noteSignerFromKey,
  signNote,
} from "./signed-note.js";
export {
  type AppendResult,
  appendLeaves,
  EMPTY_EDGE,
  edgeRoot,
  edgeTileIds,
  loadTileEdge,
  type TileEdge,
} from "./tile-edge.js";
export { locateNode, TileHashReader, type TreeHashReader } from "./tile-hash-reader.js";
export { TILE_HEIGHT, TILE_WIDTH, type Tile, type TileId, type TileStore } from "./tile-store.js";
export { largestPowerOfTwoBelow, type NodeId, rangeNodes } from "./tree-node.js";
