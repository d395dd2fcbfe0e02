import { bufferSource, concatBytes } from "./bytes.js";

// RFC 9162 §2.1.1 domain separation: leaves and interior nodes never collide.
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** Size in bytes of every tree hash. */
export const HASH_SIZE = 32;

/** SHA-256 via Web Crypto. */
export async function sha256(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bufferSource(data)));
}

/** RFC 9162 leaf hash: SHA-256(0x00 ‖ bytes). */
export function leafHash(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(concatBytes(LEAF_PREFIX, bytes));
}

/** RFC 9162 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(concatBytes(NODE_PREFIX, left, right));
}

/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(new Uint8Array(0));
}

/**
 * Computes interior nodes for the proof verifiers. Web Crypto by default; a server
 * replaying millions of hashes may pass a synchronous one (Web Crypto costs a thread
 * hop per digest).
 */
export interface NodeHasher {
  nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array | PromiseLike<Uint8Array>;
}

/** The default NodeHasher: Web Crypto SHA-256, available in Node ≥ 20 and browsers. */
export const webCryptoHasher: NodeHasher = { nodeHash };
