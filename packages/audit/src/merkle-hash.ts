import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import type { NodeHasher } from "./verify/hash.js";

// Server-side (synchronous) twins of verify/hash.ts; the sealer hashes millions of
// leaves and cannot afford a promise per hash.

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** Size in bytes of every tree hash. */
export const HASH_SIZE = 32;

function digest(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  const out = hash.digest();
  // A plain Uint8Array view, so callers and tests never see Buffer semantics.
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** RFC 9162 leaf hash: SHA-256(0x00 ‖ bytes). */
export function leafHash(bytes: Uint8Array): Uint8Array {
  return digest(LEAF_PREFIX, bytes);
}

// One-shot SHA-256 (Node ≥ 20.12): no Hash object per digest, which the sealer makes millions of.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "buffer") => Buffer }).hash;

/**
 * RFC 9162 leaf hash of UTF-8 text: SHA-256(0x00 ‖ utf8(text)), without encoding the
 * text into bytes first. The text must be well-formed UTF-16 (canonical JSON is).
 */
export function leafHashOfText(text: string): Uint8Array {
  const out = oneShot !== undefined ? oneShot("sha256", `\u0000${text}`, "buffer") : createHash("sha256").update(LEAF_PREFIX).update(text, "utf8").digest();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** RFC 9162 leaf hash of bytes that already begin with the leaf prefix 0x00: SHA-256(input). */
export function leafHashOfPrefixed(input: Uint8Array): Uint8Array {
  if (input[0] !== 0x00) throw new Error("a leaf hash input begins with 0x00");
  const out = oneShot !== undefined ? oneShot("sha256", input, "buffer") : createHash("sha256").update(input).digest();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

// 0x01 ‖ left ‖ right, reused by every nodeHash call (synchronous, so never shared mid-hash).
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/** RFC 9162 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (oneShot === undefined || left.length !== HASH_SIZE || right.length !== HASH_SIZE) return digest(NODE_PREFIX, left, right);
  // Tiles and proofs hash millions of nodes: one-shot over a reused buffer is about twice as fast as a Hash object.
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  const out = oneShot("sha256", nodeInput, "buffer");
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return digest();
}

/** Root of a perfect subtree whose bottom row is `count` (a power of two) consecutive hashes of `row`. */
export function perfectSubtreeRoot(row: Uint8Array, start: number, count: number): Uint8Array {
  let level: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const offset = (start + i) * HASH_SIZE;
    level.push(row.subarray(offset, offset + HASH_SIZE));
  }
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}

/** Combines left-to-right subtree hashes of shrinking size into their RFC 9162 root (a right fold). */
export function foldSubtrees(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot();
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** A synchronous NodeHasher for the verifiers, for bulk verification on the server. */
export const syncNodeHasher: NodeHasher = { nodeHash };
