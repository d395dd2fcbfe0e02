import type { AppendOptions, AppendResult, EventStore, NewEvent, StreamAppend } from "@aidtrail/event-store";

/** Told of every successful append: the metrics count them, read-your-writes remembers where they landed. */
export type AppendObserver = (events: readonly NewEvent[], result: AppendResult) => void;

/** The same store, with an observer on append (and on each entry of appendMany); reads pass straight through. */
export function observedEventStore(store: EventStore, observe: AppendObserver): EventStore {
  const appendMany = store.appendMany?.bind(store);
  return {
    async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
      const result = await store.append(streamId, events, options);
      observe(events, result);
      return result;
    },
    // Only where the store has it: the command handlers choose their path by its presence.
    ...(appendMany && {
      async appendMany(entries: readonly StreamAppend[]): Promise<AppendResult[]> {
        const results = await appendMany(entries);
        entries.forEach((entry, i) => {
          observe(entry.events, results[i]!);
        });
        return results;
      },
    }),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    waitForEvents: (after, timeoutMs, signal) => store.waitForEvents(after, timeoutMs, signal),
    close: () => store.close(),
  };
}
