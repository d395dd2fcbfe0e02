import type { SerialisedEvent } from "./event-validation.js";

/**
 * RFC 8785 (JCS) text of a JSON value: the audit verifier's `canonicalize`, which this package
 * cannot import (the audit package depends on it), so whoever builds the store passes it.
 */
export type CanonicalJson = (value: unknown) => string;

/** What the append functions take: `p_events`, a json array of {t, d, m}, and `p_leaves`. */
export interface AppendEventsJson {
  readonly json: string;
  /** Whether every d and m is RFC 8785 text, so PostgreSQL stores each event's leaf. */
  readonly leaves: boolean;
}

/**
 * The events of a call as the append functions take them. With a canonicaliser, data and
 * metadata are sent as RFC 8785 text (canonicalised from the JSON text that is stored, the value
 * jsonb keeps), and PostgreSQL computes each event's leaf from that exact text in the insert. An
 * event the canonicaliser refuses (nested deeper than it goes) sends the whole call as written,
 * without leaves: the sealer computes those from the data, as for any other row without one.
 */
export function appendEventsJson(events: readonly SerialisedEvent[], canonicalJson: CanonicalJson | undefined): AppendEventsJson {
  if (canonicalJson !== undefined) {
    try {
      const parts = events.map((e) => eventJson(e.type, canonicalJson(JSON.parse(e.dataJson)), canonicalJson(JSON.parse(e.metadataJson))));
      return { json: `[${parts.join(",")}]`, leaves: true };
    } catch {
      // Refused by the canonicaliser: written as before, sealed from the data.
    }
  }
  return { json: `[${events.map((e) => eventJson(e.type, e.dataJson, e.metadataJson)).join(",")}]`, leaves: false };
}

function eventJson(type: string, dataJson: string, metadataJson: string): string {
  return `{"t":${JSON.stringify(type)},"d":${dataJson},"m":${metadataJson}}`;
}
