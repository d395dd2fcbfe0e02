import type { EventMetadata, PostgresEventStore, ReadAllOptions, RecordedEvent, RecordedLeaf } from "@aidtrail/event-store";
import { ForwardingEventStore } from "./forwarding-event-store.js";
import { TextRecordedEvent } from "./text-event-store.js";

/**
 * An event the sealer read as the leaf stored when it was appended: its place in the log and
 * that leaf, nothing to canonicalise or hash. Its data, metadata and time were not read.
 */
export class StoredLeafEvent implements RecordedEvent {
  constructor(
    readonly position: bigint,
    readonly transactionId: bigint,
    readonly streamId: string,
    readonly revision: number,
    readonly type: string,
    readonly leaf: Uint8Array,
  ) {}

  get data(): unknown {
    return notRead(this, "data");
  }

  get metadata(): EventMetadata {
    return notRead(this, "metadata");
  }

  get recordedAt(): Date {
    return notRead(this, "recordedAt");
  }
}

function notRead(event: StoredLeafEvent, field: string): never {
  throw new Error(`the event at position ${event.position} was read for its stored leaf only: its ${field} was not read`);
}

/**
 * The PostgreSQL log as the sealer reads it (the store's readAllLeaves: readAll's rows, order and
 * visibility): a StoredLeafEvent where the append stored the leaf, a TextRecordedEvent (hashed
 * here or by the leaf worker, as before) where it did not. A batch may mix both.
 */
export class StoredLeafStore extends ForwardingEventStore {
  readonly #postgres: PostgresEventStore;

  constructor(store: PostgresEventStore) {
    super(store);
    this.#postgres = store;
  }

  async readAll(options: ReadAllOptions = {}): Promise<Array<StoredLeafEvent | TextRecordedEvent>> {
    const events = await this.#postgres.readAllLeaves(options);
    return events.map((e) =>
      "dataJson" in e
        ? new TextRecordedEvent(e.position, e.transactionId, e.streamId, e.revision, e.type, e.dataJson, e.metadataJson, e.recordedAt)
        : storedLeafEvent(e),
    );
  }
}

function storedLeafEvent(e: RecordedLeaf): StoredLeafEvent {
  return new StoredLeafEvent(e.position, e.transactionId, e.streamId, e.revision, e.type, e.leaf);
}
