import type { AppendOptions, AppendResult, EventStore, NewEvent } from "@aidtrail/event-store";

/** Told of every successful append: the metrics count them, read-your-writes remembers where they landed. */
export type AppendObserver = (events: readonly NewEvent[], result: AppendResult) => void;

/** The same store, with an observer on append; reads pass straight through. */
export function observedEventStore(store: EventStore, observe: AppendObserver): EventStore {
  return {
    async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
      const result = await store.append(streamId, events, options);
      observe(events, result);
      return result;
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    waitForEvents: (after, timeoutMs, signal) => store.waitForEvents(after, timeoutMs, signal),
    close: () => store.close(),
  };
}
