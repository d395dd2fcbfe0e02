import { utf8 } from "./bytes.js";

/** A value of the JSON data model (I-JSON, RFC 7493): what canonicalisation accepts. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// Deep enough for any event; a bound turns a cyclic object into an error, not a stack overflow.
const MAX_DEPTH = 128;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// String.prototype.isWellFormed (ES2024; Node ≥ 20, current browsers) is the same test, natively.
const wellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (s) => (s as string & { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

/** Thrown when a value is outside the JSON data model RFC 8785 canonicalises. */
export class NotCanonicalisableError extends TypeError {
  override readonly name = "NotCanonicalisableError";
}

/**
 * RFC 8785 (JCS) canonical JSON text: members sorted by UTF-16 code units, numbers
 * and strings serialised as ECMAScript's JSON.stringify does, no whitespace.
 */
export function canonicalize(value: unknown): string {
  try {
    return fast(value, 0);
  } catch (error) {
    // The fast walk carries no path; walk again to name where the value goes wrong.
    if (error === REFUSED) return serialize(value, 0, "$");
    throw error;
  }
}

/** RFC 8785 canonical JSON encoded as UTF-8, the bytes that get hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(value));
}

// Thrown by the fast walk: the value is refused, the descriptive walk says why.
const REFUSED = new Error("not canonicalisable");

/**
 * The same serialisation as `serialize`, refusing the very same values, but without
 * building a path per member or an array per object: this runs once per sealed event.
 */
function fast(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw REFUSED;
  switch (typeof value) {
    case "string":
      if (!wellFormed(value)) throw REFUSED;
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw REFUSED;
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        const length = value.length;
        if (length === 0) return "[]";
        let out = "[";
        for (let i = 0; i < length; i++) {
          if (!(i in value)) throw REFUSED;
          out += i === 0 ? fast(value[i], depth + 1) : `,${fast(value[i], depth + 1)}`;
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw REFUSED;
      const keys = Object.keys(value);
      if (keys.length === 0) return "{}";
      if (keys.length > 1) keys.sort();
      let out = "{";
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (!wellFormed(key)) throw REFUSED;
        const member = `${JSON.stringify(key)}:${fast((value as Record<string, unknown>)[key], depth + 1)}`;
        out += i === 0 ? member : `,${member}`;
      }
      return `${out}}`;
    }
    default:
      throw REFUSED;
  }
}

function serialize(value: unknown, depth: number, path: string): string {
  if (depth > MAX_DEPTH) throw new NotCanonicalisableError(`${path}: nested deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case "string":
      return serializeString(value, path);
    case "number":
      // ECMAScript Number::toString is exactly RFC 8785 §3.2.2.3 (and maps -0 to "0").
      if (!Number.isFinite(value)) throw new NotCanonicalisableError(`${path}: ${value} is not a JSON number`);
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new NotCanonicalisableError(`${path}[${i}]: sparse array`);
          items.push(serialize(value[i], depth + 1, `${path}[${i}]`));
        }
        return `[${items.join(",")}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new NotCanonicalisableError(`${path}: only plain objects are JSON (got ${proto?.constructor?.name})`);
      }
      // Default sort compares UTF-16 code units, which is what §3.2.3 asks for.
      const keys = Object.keys(value).sort();
      const members = keys.map((key) => {
        const member = (value as Record<string, unknown>)[key];
        return `${serializeString(key, path)}:${serialize(member, depth + 1, `${path}.${key}`)}`;
      });
      return `{${members.join(",")}}`;
    }
    default:
      throw new NotCanonicalisableError(`${path}: ${typeof value} is not a JSON value`);
  }
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new NotCanonicalisableError(`${path}: string has a lone surrogate`);
  // JSON.stringify escapes exactly the set RFC 8785 §3.2.2.2 prescribes, with lower-case \u00xx.
  return JSON.stringify(value);
}
