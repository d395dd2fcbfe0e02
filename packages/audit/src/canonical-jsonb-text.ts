import { CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE, SPACE } from "./json-char-codes.js";
import { canonicalize } from "./verify/canonical-json.js";

/**
 * RFC 8785 text of a JSON value given as PostgreSQL prints a `jsonb` (`data::text`):
 * exactly `canonicalize(JSON.parse(text))`, without building the objects. The sealer
 * reads millions of events; parsing each into objects only to serialise them again was
 * a large share of its cost.
 *
 * jsonb output differs from canonical JSON only in layout: a space after `:` and `,`,
 * object members in jsonb's order (shorter keys first) and numbers as PostgreSQL's
 * numeric prints them. Strings are printed with JSON.stringify's escapes already. The
 * fast path below accepts only what it reproduces exactly (no backslash anywhere, that
 * layout); anything else takes the reference path, which also produces the refusals
 * (nested too deep, a number beyond double range) with their messages.
 */
export function canonicalizeJsonbText(text: string): string {
  // A backslash is an escape inside a string: rare in events, and left to the reference path,
  // as are raw control characters (not JSON) and lone surrogates (refused by canonicalize).
  if (text.indexOf("\\") === -1 && !CONTROL.test(text) && isWellFormed(text)) {
    source = text;
    at = 0;
    try {
      const out = value(0);
      if (at === text.length) return out;
    } catch (error) {
      if (error !== UNEXPECTED) throw error;
    } finally {
      source = "";
    }
  }
  return canonicalize(JSON.parse(text));
}

// Thrown when the text is not in the layout the fast path reproduces.
const UNEXPECTED = new Error("not in the fast path's layout");
// Same bound as canonicalize: a value nested deeper is refused (by the reference path).
const MAX_DEPTH = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point.
const CONTROL = /[\u0000-\u001f]/;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
// String.prototype.isWellFormed (Node ≥ 20): a lone surrogate is refused by canonicalize.
export const isWellFormed = (text: string): boolean => (text as string & { isWellFormed?(): boolean }).isWellFormed?.() ?? false;

// The scanner's state: synchronous and never re-entered, so module-level is safe and cheapest.
let source = "";
let at = 0;

function value(depth: number): string {
  if (depth > MAX_DEPTH) throw UNEXPECTED;
  const c = source.charCodeAt(at);
  if (c === QUOTE) return string();
  if (c === OPEN_OBJECT) return object(depth);
  if (c === OPEN_ARRAY) return array(depth);
  if (c === 0x74 /* t */ && source.startsWith("true", at)) return literal("true");
  if (c === 0x66 /* f */ && source.startsWith("false", at)) return literal("false");
  if (c === 0x6e /* n */ && source.startsWith("null", at)) return literal("null");
  return number();
}

function literal(word: string): string {
  at += word.length;
  return word;
}

/** A string token, quotes included: without backslashes it is JSON.stringify of its content. */
function string(): string {
  const end = source.indexOf('"', at + 1);
  if (end === -1) throw UNEXPECTED;
  const token = source.slice(at, end + 1);
  at = end + 1;
  return token;
}

function number(): string {
  const start = at;
  let simple = true;
  let c = source.charCodeAt(at);
  if (c === 0x2d /* - */) {
    c = source.charCodeAt(++at);
    // "-0" is 0 to JSON.parse, which canonicalize prints as "0".
    if (c === 0x30) simple = false;
  }
  const digits = at;
  // Integers print the same in numeric and in ECMAScript: up to 15 digits, no leading zero.
  if (c === 0x30 && isDigit(source.charCodeAt(at + 1))) simple = false;
  while (isDigit(c)) c = source.charCodeAt(++at);
  if (at === digits || at - digits > 15) simple = false;
  while (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d || isDigit(c)) {
    simple = false;
    c = source.charCodeAt(++at);
  }
  const token = source.slice(start, at);
  if (simple) return token;
  if (!JSON_NUMBER.test(token)) throw UNEXPECTED;
  // As JSON.parse reads it (the nearest double), then as canonicalize prints it; ±Infinity is refused there.
  const parsed = Number(token);
  if (!Number.isFinite(parsed)) throw UNEXPECTED;
  return String(parsed);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Skips the one space jsonb prints after ':' and ','. */
function skipSpace(): void {
  if (source.charCodeAt(at) === SPACE) at++;
}

function array(depth: number): string {
  at++;
  if (source.charCodeAt(at) === CLOSE_ARRAY) {
    at++;
    return "[]";
  }
  let out = "[";
  for (;;) {
    out += value(depth + 1);
    const c = source.charCodeAt(at++);
    if (c === CLOSE_ARRAY) return `${out}]`;
    if (c !== COMMA) throw UNEXPECTED;
    out += ",";
    skipSpace();
  }
}

// Keys and member texts of the objects being scanned, one pair of arrays per depth, reused.
const keyStack: string[][] = [];
const memberStack: string[][] = [];

function object(depth: number): string {
  at++;
  if (source.charCodeAt(at) === CLOSE_OBJECT) {
    at++;
    return "{}";
  }
  keyStack[depth] ??= [];
  memberStack[depth] ??= [];
  const keys = keyStack[depth];
  const members = memberStack[depth];
  let count = 0;
  for (;;) {
    if (source.charCodeAt(at) !== QUOTE) throw UNEXPECTED;
    const keyToken = string();
    // Compared without quotes: '"' sorts above ' ' and '!', which a key may contain.
    const key = keyToken.slice(1, -1);
    if (source.charCodeAt(at++) !== COLON) throw UNEXPECTED;
    skipSpace();
    const member = `${keyToken}:${value(depth + 1)}`;
    // Insertion sort: RFC 8785 orders members by the UTF-16 code units of their keys, JavaScript's `<`.
    let i = count;
    while (i > 0 && keys[i - 1]! > key) {
      keys[i] = keys[i - 1]!;
      members[i] = members[i - 1]!;
      i--;
    }
    // An equal key would be a duplicate, which jsonb never prints; JSON.parse would keep the last.
    if (i > 0 && keys[i - 1] === key) throw UNEXPECTED;
    keys[i] = key;
    members[i] = member;
    count++;
    const c = source.charCodeAt(at++);
    if (c === CLOSE_OBJECT) break;
    if (c !== COMMA) throw UNEXPECTED;
    skipSpace();
  }
  let out = `{${members[0]!}`;
  for (let i = 1; i < count; i++) out += `,${members[i]!}`;
  // Let the member texts go: the arrays are reused, their contents need not live on.
  keys.length = 0;
  members.length = 0;
  return `${out}}`;
}
