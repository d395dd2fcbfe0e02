import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from "./verify/bytes.js";
import { ED25519_SIGNATURE_TYPE, hasControlCharacter, isValidKeyName } from "./verify/signed-note.js";

// PKCS#8 and SPKI DER prefixes of a raw 32-byte Ed25519 key (RFC 8410).
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SIGNER_KEY_PREFIX = "PRIVATE+KEY+";

/** Signs note texts under one key name (server side; the verifier never needs it). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** The `name+keyid+base64(0x01‖pubkey)` string verifiers are configured with. */
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

/** C2SP key ID, synchronously: first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function noteKeyIdSync(name: string, publicKey: Uint8Array): Uint8Array {
  const digest = createHash("sha256").update(`${name}\n`).update(Uint8Array.of(ED25519_SIGNATURE_TYPE)).update(publicKey).digest();
  return new Uint8Array(digest.subarray(0, 4));
}

/** The verifier key string `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}`);
  const material = concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey);
  return `${name}+${toHex(noteKeyIdSync(name, publicKey))}+${toBase64(material)}`;
}

/**
 * Creates a signer from a key string `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>`
 * (the Go sumdb/note format, so keys move between tools).
 */
export function noteSignerFromKey(signerKey: string): NoteSigner {
  const bad = (why: string) => new TypeError(`signer key: ${why}`);
  if (!signerKey.startsWith(SIGNER_KEY_PREFIX)) throw bad(`must start with ${SIGNER_KEY_PREFIX}`);
  const [name, idHex, ...rest] = signerKey.slice(SIGNER_KEY_PREFIX.length).split("+");
  if (name === undefined || !isValidKeyName(name) || idHex === undefined || rest.length === 0) {
    throw bad("expected PRIVATE+KEY+name+keyid+key");
  }
  // Base64 may itself contain '+', so rejoin what followed the key id.
  const material = fromBase64(rest.join("+"));
  if (material.length !== 33 || material[0] !== ED25519_SIGNATURE_TYPE) throw bad("not an Ed25519 key");
  const privateKey = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, material.subarray(1))), format: "der", type: "pkcs8" });
  const signer = signerFromKeyObject(name, privateKey);
  if (toHex(signer.keyId) !== idHex) throw bad("key id does not match the key");
  return signer;
}

/** Generates a fresh Ed25519 note key; keep `signerKey` secret, publish `verifierKey`. */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}`);
  const { privateKey } = generateKeyPairSync("ed25519");
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  const seed = new Uint8Array(der.subarray(der.length - 32));
  const signer = signerFromKeyObject(name, privateKey);
  const material = concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), seed);
  return { signerKey: `${SIGNER_KEY_PREFIX}${name}+${toHex(signer.keyId)}+${toBase64(material)}`, verifierKey: signer.verifierKey };
}

function signerFromKeyObject(name: string, privateKey: KeyObject): NoteSigner {
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return {
    name,
    keyId: noteKeyIdSync(name, publicKey),
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/**
 * Signs a note text (non-empty, ending in a newline, no control characters but
 * newline) with every signer, e.g. the current and the next key during rotation.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (text.length === 0 || !text.endsWith("\n")) throw new TypeError("note text must end in a newline");
  if (hasControlCharacter(text)) throw new TypeError("note text has a control character");
  if (signers.length === 0) throw new TypeError("a note needs at least one signer");
  const message = utf8(text);
  const lines = signers.map((s) => `— ${s.name} ${toBase64(concatBytes(s.keyId, s.sign(message)))}\n`);
  return `${text}\n${lines.join("")}`;
}
