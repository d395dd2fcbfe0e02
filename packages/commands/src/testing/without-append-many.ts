import type { EventStore } from "@aidtrail/event-store";

/** The same store without its multi-stream append, as an adapter that has none (EventStoreDB) looks to the command handlers. */
export function withoutAppendMany(store: EventStore): EventStore {
  return {
    append: (streamId, events, options) => store.append(streamId, events, options),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    waitForEvents: (after, timeoutMs, signal) => store.waitForEvents(after, timeoutMs, signal),
    close: () => store.close(),
  };
}
