import { toBase64 } from "./verify/bytes.js";
import { isValidKeyName } from "./verify/signed-note.js";
import type { Checkpoint } from "./verify/checkpoint.js";
import { HASH_SIZE } from "./merkle-hash.js";
import { type NoteSigner, signNote } from "./signed-note.js";

export { type Checkpoint, parseCheckpoint } from "./verify/checkpoint.js";

/** What a checkpoint commits to; extension lines are optional. */
export type CheckpointInput = Omit<Checkpoint, "extensions"> & { readonly extensions?: readonly string[] };

/** C2SP tlog-checkpoint body: `origin\nsize\nbase64(root)\n` then any extension lines. */
export function formatCheckpoint(checkpoint: CheckpointInput): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  if (origin.length === 0 || origin.includes("\n")) throw new TypeError("origin must be one non-empty line");
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size ${size} is not a non-negative safe integer`);
  if (root.length !== HASH_SIZE) throw new RangeError(`root must be ${HASH_SIZE} bytes`);
  if (extensions.some((line) => line.length === 0 || line.includes("\n"))) throw new TypeError("bad extension line");
  return [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join("");
}

/** A signed checkpoint note, signed by every given key (one per key in rotation). */
export function signCheckpoint(checkpoint: CheckpointInput, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/** Whether a string can serve as a log origin and key name (C2SP recommends they match). */
export function isValidOrigin(origin: string): boolean {
  return isValidKeyName(origin);
}
