import { bufferSource, bytesEqual, concatBytes, fromBase64, fromHex, toHex, utf8 } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { sha256 } from "./hash.js";

/** C2SP signed-note signature type for Ed25519. */
export const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_PREFIX = "— ";
// The spec asks verifiers to accept at least 16; beyond 100 is abuse, as in Go's note package.
const MAX_SIGNATURES = 100;
const ED25519 = { name: "Ed25519" } as const;
// A JS string with a lone surrogate has no UTF-8 encoding, so it cannot be a note.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One signature line of a signed note, not yet verified. */
export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

/** A signed note split into its text (with final newline) and signature lines. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A trusted Ed25519 verifier key parsed from its `name+keyid+base64` form. */
export interface NoteVerifierKey {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly vkey: string;
}

/** The verified text of a note and the names of the trusted keys that signed it. */
export interface OpenedNote {
  readonly text: string;
  readonly verifiedBy: readonly string[];
}

const malformed = (why: string): VerificationError => new VerificationError("malformed", `signed note: ${why}`);

/** Whether text has an ASCII control character other than newline, which notes forbid. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

/** Whether a key name is valid: non-empty, no Unicode spaces, no plus signs. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** C2SP key ID: first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  const digest = await sha256(concatBytes(utf8(`${name}\n`), new Uint8Array([ED25519_SIGNATURE_TYPE]), publicKey));
  return digest.slice(0, 4);
}

/** Splits a signed note into text and signature lines, enforcing the C2SP syntax. */
export function parseSignedNote(note: string): ParsedNote {
  if (hasControlCharacter(note)) throw malformed("contains a control character");
  if (LONE_SURROGATE.test(note)) throw malformed("is not valid Unicode text");
  if (!note.endsWith("\n")) throw malformed("does not end in a newline");
  // The text ends at the last blank line; it may contain blank lines of its own.
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw malformed("has no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw malformed(`has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed("signature line does not start with an em dash");
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(" ");
    const keyName = rest.slice(0, space);
    if (space < 0 || !isValidKeyName(keyName)) throw malformed("bad key name in signature line");
    let blob: Uint8Array;
    try {
      blob = fromBase64(rest.slice(space + 1));
    } catch {
      throw malformed("signature is not base64");
    }
    if (blob.length < 5) throw malformed("signature is too short");
    return { keyName, keyId: blob.slice(0, 4), signature: blob.slice(4) };
  });
  return { text, signatures };
}

/** Parses a verifier key `<name>+<hex key id>+<base64(0x01 ‖ public key)>` and checks its key id. */
export async function parseVerifierKey(vkey: string): Promise<NoteVerifierKey> {
  const bad = (why: string) => new VerificationError("malformed", `verifier key: ${why}`);
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) throw bad("expected name+keyid+key");
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  if (!isValidKeyName(name)) throw bad("invalid key name");
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw bad("key id must be 8 lower-case hex digits");
  let material: Uint8Array;
  try {
    material = fromBase64(vkey.slice(second + 1));
  } catch {
    throw bad("key is not base64");
  }
  if (material.length !== 33 || material[0] !== ED25519_SIGNATURE_TYPE) throw bad("not an Ed25519 key");
  const publicKey = material.slice(1);
  const keyId = fromHex(idHex);
  if (!bytesEqual(keyId, await noteKeyId(name, publicKey))) throw bad("key id does not match the key");
  return { name, keyId, publicKey, vkey };
}

/**
 * Verifies a signed note against trusted keys (C2SP signed-note): signatures from
 * unknown keys are ignored, a failing signature from a known key rejects the note,
 * and at least one known key must have signed.
 */
export async function openSignedNote(
  note: string,
  trusted: readonly (string | NoteVerifierKey)[],
): Promise<OpenedNote> {
  const keys = await Promise.all(trusted.map((k) => (typeof k === "string" ? parseVerifierKey(k) : k)));
  const parsed = parseSignedNote(note);
  const message = utf8(parsed.text);
  const verifiedBy: string[] = [];
  for (const sig of parsed.signatures) {
    // Name and id together identify a key; sharing only one of them is an unknown key.
    const key = keys.find((k) => k.name === sig.keyName && bytesEqual(k.keyId, sig.keyId));
    if (key === undefined) continue;
    if (!(await ed25519Verify(key.publicKey, sig.signature, message))) {
      throw new VerificationError("bad_signature", `signature by ${key.name}+${toHex(key.keyId)} does not verify`);
    }
    if (!verifiedBy.includes(key.vkey)) verifiedBy.push(key.vkey);
  }
  if (verifiedBy.length === 0) throw new VerificationError("no_trusted_signature", "no trusted key signed this note");
  return { text: parsed.text, verifiedBy };
}

async function ed25519Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  const key = await globalThis.crypto.subtle.importKey("raw", bufferSource(publicKey), ED25519, false, ["verify"]);
  return globalThis.crypto.subtle.verify(ED25519, key, bufferSource(signature), bufferSource(message));
}
