import type { EventStore, ReadAllOptions, RecordedEvent } from "@aidtrail/event-store";

/** An EventStore that hands every call to another: the base of the sealer's views, which change only readAll. */
export abstract class ForwardingEventStore implements EventStore {
  protected readonly store: EventStore;

  constructor(store: EventStore) {
    this.store = store;
  }

  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  append(...args: Parameters<EventStore["append"]>) {
    return this.store.append(...args);
  }

  readStream(...args: Parameters<EventStore["readStream"]>) {
    return this.store.readStream(...args);
  }

  waitForEvents(...args: Parameters<EventStore["waitForEvents"]>) {
    return this.store.waitForEvents(...args);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
