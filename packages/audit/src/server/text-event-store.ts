import { type EventMetadata, type EventStore, PostgresEventStore, type ReadAllOptions, type RecordedEvent } from "@aidtrail/event-store";
import type { AuditEventText } from "../canonical-json.js";
import { ForwardingEventStore } from "./forwarding-event-store.js";

/**
 * A recorded event read with its data and metadata as the JSON text PostgreSQL printed:
 * the sealer hashes that text (canonicalEventJsonOfText) and never needs the objects,
 * which are parsed only if something asks for them.
 */
export class TextRecordedEvent implements RecordedEvent, AuditEventText {
  #data: unknown;
  #metadata: EventMetadata | undefined;

  constructor(
    readonly position: bigint,
    readonly transactionId: bigint,
    readonly streamId: string,
    readonly revision: number,
    readonly type: string,
    readonly dataJson: string,
    readonly metadataJson: string,
    readonly recordedAt: Date,
    /** The leaf stored when the event was appended (null: none); the verifier compares it with the one it computes. */
    readonly storedLeaf: Uint8Array | null = null,
  ) {}

  get data(): unknown {
    this.#data ??= JSON.parse(this.dataJson);
    return this.#data;
  }

  get metadata(): EventMetadata {
    this.#metadata ??= JSON.parse(this.metadataJson) as EventMetadata;
    return this.#metadata;
  }
}

/**
 * The PostgreSQL event store as the sealer and the verifier read it: `readAll` gives
 * TextRecordedEvents (the store's own readAllText: the same rows, order and visibility rule
 * as its readAll, without parsing). Everything else goes to the store.
 */
export class TextEventStore extends ForwardingEventStore {
  readonly #postgres: PostgresEventStore;

  constructor(store: PostgresEventStore) {
    super(store);
    this.#postgres = store;
  }

  async readAll(options: ReadAllOptions = {}): Promise<TextRecordedEvent[]> {
    const events = await this.#postgres.readAllText(options);
    return events.map(
      (e) => new TextRecordedEvent(e.position, e.transactionId, e.streamId, e.revision, e.type, e.dataJson, e.metadataJson, e.recordedAt, e.leaf),
    );
  }
}

/** What the verifier reads: a PostgreSQL log as text (with any stored leaves), any other store as it is. */
export function textSource(store: EventStore): EventStore {
  return store instanceof PostgresEventStore ? new TextEventStore(store) : store;
}
