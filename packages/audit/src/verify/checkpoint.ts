import { fromBase64 } from "./bytes.js";
import { VerificationError } from "./errors.js";
import { HASH_SIZE } from "./hash.js";
import { type NoteVerifierKey, openSignedNote } from "./signed-note.js";

/** A C2SP tlog-checkpoint: the log's origin, tree size and root hash. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Optional extension lines after the root, without their newlines. */
  readonly extensions: readonly string[];
}

/** A checkpoint whose signature has been verified, with the keys that signed it. */
export interface VerifiedCheckpoint extends Checkpoint {
  readonly verifiedBy: readonly string[];
}

/** Parses a checkpoint body `origin\nsize\nbase64(root)\n[extensions…]`; does not check signatures. */
export function parseCheckpoint(text: string): Checkpoint {
  const bad = (why: string) => new VerificationError("malformed", `checkpoint: ${why}`);
  if (!text.endsWith("\n")) throw bad("does not end in a newline");
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || origin.length === 0) throw bad("missing origin");
  if (sizeText === undefined || !/^(?:0|[1-9][0-9]*)$/.test(sizeText)) throw bad("size must be a decimal integer");
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw bad("size is too large");
  let root: Uint8Array;
  try {
    root = fromBase64(rootText ?? "");
  } catch {
    throw bad("root is not base64");
  }
  if (root.length !== HASH_SIZE) throw bad(`root must be ${HASH_SIZE} bytes`);
  if (extensions.some((line) => line.length === 0)) throw bad("empty extension line");
  return { origin, size, root, extensions };
}

/**
 * Verifies a signed checkpoint note against trusted keys and parses it; if `origin`
 * is given the checkpoint must be for that log.
 */
export async function openCheckpoint(
  note: string,
  trusted: readonly (string | NoteVerifierKey)[],
  origin?: string,
): Promise<VerifiedCheckpoint> {
  const opened = await openSignedNote(note, trusted);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new VerificationError("malformed", `checkpoint is for ${checkpoint.origin}, expected ${origin}`);
  }
  return { ...checkpoint, verifiedBy: opened.verifiedBy };
}
