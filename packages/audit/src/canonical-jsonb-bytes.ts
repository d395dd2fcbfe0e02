import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE, SPACE } from "./json-char-codes.js";

/**
 * The fast path of canonicalizeJsonbText working on UTF-8 bytes instead of strings: RFC 8785
 * bytes of a jsonb text written straight into the buffer a leaf is hashed from. The string
 * path builds a tree of small strings per event that the hash then flattens and encodes;
 * the leaf worker spent most of its time there.
 *
 * It accepts strictly less than the string path (the same layout, ASCII keys only, integers
 * only) and answers NOT_FAST for anything else, so that the caller takes the string path,
 * which stays the one definition of the output (and of the refusals).
 */

/** Returned when the text is not in the layout this path reproduces. */
export const NOT_FAST = -1;

// Same bound as canonicalize (deeper values go to the string path, which refuses them).
const MAX_DEPTH = 128;

// The scan's state: synchronous and never re-entered, so module-level is safe and cheapest.
const EMPTY = Buffer.alloc(0);
let buf: Buffer = EMPTY;
let at = 0; // next byte of the source
let end = 0; // end of the source
let out = 0; // next byte of the output
let tmp = 0; // start of the scratch area where an object's members are put in order
let fast = true;

/**
 * Writes the canonical bytes of the jsonb text in `target[from, to)` (its UTF-8) at `target[into…]`,
 * where `into + (to − from) <= from` (the output is never longer than the source) and the bytes
 * from `scratch` on are free for `to − from` more. Returns the end of the output, or NOT_FAST.
 */
export function canonicalJsonbBytesInto(target: Buffer, from: number, to: number, into: number, scratch: number): number {
  buf = target;
  at = from;
  end = to;
  out = into;
  tmp = scratch;
  fast = true;
  value(0);
  const written = out;
  buf = EMPTY;
  return fast && at === end ? written : NOT_FAST;
}

function value(depth: number): void {
  if (!fast) return;
  const c = buf[at];
  if (c === QUOTE) string();
  else if (c === OPEN_OBJECT) object(depth);
  else if (c === OPEN_ARRAY) array(depth);
  else if (c === 0x74 /* t */) literal(TRUE);
  else if (c === 0x66 /* f */) literal(FALSE);
  else if (c === 0x6e /* n */) literal(NULL);
  else integer();
}

const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

function literal(word: Buffer): void {
  for (let i = 0; i < word.length; i++) if (buf[at + i] !== word[i]) fast = false;
  if (!fast) return;
  copy(at, at + word.length);
  at += word.length;
}

/** A string token, quotes included, copied as is: only without backslashes and control characters. */
function string(): void {
  const start = at;
  const bytes = buf;
  let i = at + 1;
  let c = bytes[i];
  // UTF-8 continuation and lead bytes are ≥ 0x80, so a byte below 0x20 is a raw control character.
  while (c !== QUOTE && c !== undefined && c >= SPACE && c !== BACKSLASH) c = bytes[++i];
  if (c !== QUOTE || i >= end) fast = false;
  if (!fast) return;
  at = i + 1;
  copy(start, at);
}

/** Integers of up to 15 digits print the same in numeric and in ECMAScript; anything else is not fast. */
function integer(): void {
  const start = at;
  if (buf[at] === 0x2d /* - */) at++;
  const digits = at;
  while (at < end && buf[at]! >= 0x30 && buf[at]! <= 0x39) at++;
  const count = at - digits;
  // No digit, more than 15, a leading zero, "-0", or a fraction or exponent following.
  if (count === 0 || count > 15 || (buf[digits] === 0x30 && (count > 1 || digits > start))) fast = false;
  const next = buf[at];
  if (next === 0x2e || next === 0x65 || next === 0x45) fast = false;
  if (fast) copy(start, at);
}

/** Skips the one space jsonb prints after ':' and ','. */
function skipSpace(): void {
  if (buf[at] === SPACE) at++;
}

function array(depth: number): void {
  if (depth >= MAX_DEPTH) {
    fast = false;
    return;
  }
  at++;
  buf[out++] = OPEN_ARRAY;
  if (buf[at] === CLOSE_ARRAY) {
    at++;
    buf[out++] = CLOSE_ARRAY;
    return;
  }
  for (;;) {
    value(depth + 1);
    if (!fast) return;
    const c = buf[at++];
    if (c === CLOSE_ARRAY) break;
    if (c !== COMMA) {
      fast = false;
      return;
    }
    buf[out++] = COMMA;
    skipSpace();
  }
  buf[out++] = CLOSE_ARRAY;
}

/** Where each member's key (in the source) and its `key:value` (in the output) are, and their sorted order. */
interface Members {
  readonly keyStarts: number[];
  readonly keyEnds: number[];
  readonly starts: number[];
  readonly ends: number[];
  readonly order: number[];
}

// One per depth, reused.
const membersAt: Members[] = [];

function membersOf(depth: number): Members {
  let members = membersAt[depth];
  if (members === undefined) {
    members = { keyStarts: [], keyEnds: [], starts: [], ends: [], order: [] };
    membersAt[depth] = members;
  }
  return members;
}

/**
 * Members are written in jsonb's order as `key:value`, then put in RFC 8785 order: by the UTF-16
 * code units of their keys, which for ASCII keys is their byte order (non-ASCII keys are not fast).
 */
function object(depth: number): void {
  if (depth >= MAX_DEPTH) {
    fast = false;
    return;
  }
  at++;
  const start = out;
  buf[out++] = OPEN_OBJECT;
  if (buf[at] === CLOSE_OBJECT) {
    at++;
    buf[out++] = CLOSE_OBJECT;
    return;
  }
  const { keyStarts: ks, keyEnds: ke, starts: ms, ends: me, order } = membersOf(depth);
  let count = 0;
  for (;;) {
    if (buf[at] !== QUOTE) {
      fast = false;
      return;
    }
    ms[count] = out;
    ks[count] = at + 1;
    string();
    if (!fast) return;
    ke[count] = at - 1;
    for (let i = ks[count]!; i < ke[count]!; i++) if (buf[i]! >= 0x80) fast = false;
    if (!fast || buf[at++] !== COLON) {
      fast = false;
      return;
    }
    buf[out++] = COLON;
    skipSpace();
    value(depth + 1);
    if (!fast) return;
    me[count] = out;
    // Insertion sort of the member indices by key.
    let i = count;
    while (i > 0 && compareKeys(ks[order[i - 1]!]!, ke[order[i - 1]!]!, ks[count]!, ke[count]!) > 0) {
      order[i] = order[i - 1]!;
      i--;
    }
    // An equal key would be a duplicate, which jsonb never prints; JSON.parse would keep the last.
    if (i > 0 && compareKeys(ks[order[i - 1]!]!, ke[order[i - 1]!]!, ks[count]!, ke[count]!) === 0) fast = false;
    order[i] = count;
    count++;
    const c = buf[at++];
    if (c === CLOSE_OBJECT) break;
    if (c !== COMMA) fast = false;
    if (!fast) return;
    skipSpace();
  }
  // Move the members (written from start + 1 on, without separators) aside, then back in order.
  const first = start + 1;
  buf.copyWithin(tmp, first, out);
  out = first;
  for (let k = 0; k < count; k++) {
    const m = order[k]!;
    if (k > 0) buf[out++] = COMMA;
    buf.copyWithin(out, tmp + ms[m]! - first, tmp + me[m]! - first);
    out += me[m]! - ms[m]!;
  }
  buf[out++] = CLOSE_OBJECT;
}

/** Byte order of two keys given by their ranges (quotes excluded): a prefix sorts first. */
function compareKeys(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const length = Math.min(aLength, bLength);
  for (let i = 0; i < length; i++) {
    const d = buf[aStart + i]! - buf[bStart + i]!;
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** Copies source bytes to the output (they are always ahead of it). */
function copy(from: number, to: number): void {
  if (to - from > 16) {
    buf.copyWithin(out, from, to);
    out += to - from;
    return;
  }
  for (let i = from; i < to; i++) buf[out++] = buf[i]!;
}
