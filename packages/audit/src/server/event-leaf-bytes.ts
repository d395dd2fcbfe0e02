import { type AuditEventText, canonicalEventTail, checkEventNumbers } from "../canonical-json.js";
import { canonicalJsonbBytesInto, NOT_FAST } from "../canonical-jsonb-bytes.js";
import { isWellFormed } from "../canonical-jsonb-text.js";
import { leafHashOfPrefixed } from "../merkle-hash.js";

// 0x00 ‖ {"data":  and  ,"metadata":  — the fixed bytes before and between the two JSON texts.
const HEAD = Buffer.from('\u0000{"data":', "latin1");
const BETWEEN = Buffer.from(',"metadata":', "latin1");
// UTF-8 takes at most 3 bytes per UTF-16 code unit.
const MAX_UTF8_PER_UNIT = 3;

// Reused for every leaf (synchronous, so never shared mid-leaf): [0x00, canonical event …) then
// further on each JSON text's UTF-8, then room to reorder an object's members.
let scratch = Buffer.alloc(64 * 1024);

/**
 * The leaf of an event given with stored JSON texts, built as UTF-8 bytes in one reused buffer
 * rather than as strings that the hash would flatten and encode again; undefined when either
 * text is outside the byte path's layout (see canonicalJsonbBytesInto), and the caller then
 * takes the string path. The same bytes as canonicalEventJsonOfText where it answers, and the
 * same refusals for the event's numbers.
 */
export function leafOfTextBytes(event: AuditEventText): Uint8Array | undefined {
  checkEventNumbers(event);
  const { dataJson, metadataJson } = event;
  // A lone surrogate would be encoded as U+FFFD: the string path refuses it instead.
  if (!isWellFormed(dataJson) || !isWellFormed(metadataJson)) return undefined;
  const tail = canonicalEventTail(event);
  const data = MAX_UTF8_PER_UNIT * dataJson.length;
  const metadata = MAX_UTF8_PER_UNIT * metadataJson.length;
  // Output first; the texts are encoded beyond the longest it can be, each followed by room to reorder.
  const source = HEAD.length + data + BETWEEN.length + metadata;
  const needed = Math.max(source + 2 * Math.max(data, metadata), source + MAX_UTF8_PER_UNIT * tail.length);
  if (scratch.length < needed) scratch = Buffer.alloc(Math.max(needed, 2 * scratch.length));
  scratch.set(HEAD, 0);
  let out = HEAD.length;
  out = jsonInto(dataJson, source, out);
  if (out === NOT_FAST) return undefined;
  scratch.set(BETWEEN, out);
  out += BETWEEN.length;
  out = jsonInto(metadataJson, source, out);
  if (out === NOT_FAST) return undefined;
  out += scratch.write(tail, out, "utf8");
  return leafHashOfPrefixed(scratch.subarray(0, out));
}

/** Encodes `json` at `source`, writes its canonical bytes at `out`; the end of the output, or NOT_FAST. */
function jsonInto(json: string, source: number, out: number): number {
  const length = scratch.write(json, source, "utf8");
  return canonicalJsonbBytesInto(scratch, source, source + length, out, source + length);
}
