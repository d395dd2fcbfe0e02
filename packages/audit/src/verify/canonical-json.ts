import { utf8 } from "./bytes.js";

/** A value of the JSON data model (I-JSON, RFC 7493): what canonicalisation accepts. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// Deep enough for any event; a bound turns a cyclic object into an error, not a stack overflow.
const MAX_DEPTH = 128;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Thrown when a value is outside the JSON data model RFC 8785 canonicalises. */
export class NotCanonicalisableError extends TypeError {
  override readonly name = "NotCanonicalisableError";
}

/**
 * RFC 8785 (JCS) canonical JSON text: members sorted by UTF-16 code units, numbers
 * and strings serialised as ECMAScript's JSON.stringify does, no whitespace.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, 0, "$");
}

/** RFC 8785 canonical JSON encoded as UTF-8, the bytes that get hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(value));
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
