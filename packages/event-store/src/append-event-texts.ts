import type { SerialisedEvent } from "./event-validation.js";

/**
 * RFC 8785 (JCS) text of a JSON value: the audit verifier's `canonicalize`, which this package
 * cannot import (the audit package depends on it), so whoever builds the store passes it.
 */
export type CanonicalJson = (value: unknown) => string;

/** What the append functions take for the events of a call, in order. */
export interface AppendEventTexts {
  readonly types: string[];
  /** Every event's data JSON text, joined by U+001E (which JSON text never holds raw). */
  readonly data: string;
  readonly metadata: string;
  /** Whether every data and metadata text is RFC 8785 text, so PostgreSQL stores each event's leaf. */
  readonly leaves: boolean;
}

const SEPARATOR = "\u001e";

/**
 * The events of a call as the append functions take them. With a canonicaliser, data and
 * metadata are sent as RFC 8785 text (canonicalised from the JSON text that is stored, the value
 * jsonb keeps), and PostgreSQL computes each event's leaf from that exact text in the insert. An
 * event the canonicaliser refuses (nested deeper than it goes) sends the whole call as written,
 * without leaves: the sealer computes those from the data, as for any other row without one.
 */
export function appendEventTexts(events: readonly SerialisedEvent[], canonicalJson: CanonicalJson | undefined): AppendEventTexts {
  const types = events.map((e) => e.type);
  if (canonicalJson !== undefined) {
    try {
      const data = events.map((e) => canonicalJson(JSON.parse(e.dataJson))).join(SEPARATOR);
      const metadata = events.map((e) => canonicalJson(JSON.parse(e.metadataJson))).join(SEPARATOR);
      return { types, data, metadata, leaves: true };
    } catch {
      // Refused by the canonicaliser: written as before, sealed from the data.
    }
  }
  const data = events.map((e) => e.dataJson).join(SEPARATOR);
  const metadata = events.map((e) => e.metadataJson).join(SEPARATOR);
  return { types, data, metadata, leaves: false };
}
