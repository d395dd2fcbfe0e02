import type { AppendOptions, AppendResult, EventStore, NewEvent, StreamAppend } from "@aidtrail/event-store";

/**
 * An EventStore that lets another process's write land at a chosen moment: the n-th append (or
 * appendMany) carrying an event of a type first runs the n-th action given for it and waits for
 * it. Races that real concurrency only hits sometimes, every time. Has appendMany when the inner
 * store has.
 */
export class InterleavingStore implements EventStore {
  private readonly actions = new Map<string, Array<(() => Promise<unknown>) | null>>();
  readonly appendMany?: NonNullable<EventStore["appendMany"]>;

  constructor(private readonly inner: EventStore) {
    const appendMany = inner.appendMany?.bind(inner);
    if (appendMany) {
      this.appendMany = async (entries: readonly StreamAppend[]) => {
        await this.interleave(entries.flatMap((e) => e.events));
        return appendMany(entries);
      };
    }
  }

  /** Before each next append carrying `type`, runs the next of `actions` (null: none this time). */
  before(type: string, ...actions: Array<(() => Promise<unknown>) | null>): void {
    this.actions.set(type, actions);
  }

  async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    await this.interleave(events);
    return this.inner.append(streamId, events, options);
  }

  private async interleave(events: readonly NewEvent[]): Promise<void> {
    for (const type of new Set(events.map((e) => e.type))) {
      const action = this.actions.get(type)?.shift();
      if (action) await action();
    }
  }

  readStream: EventStore["readStream"] = (streamId, options) => this.inner.readStream(streamId, options);
  readAll: EventStore["readAll"] = (options) => this.inner.readAll(options);
  waitForEvents: EventStore["waitForEvents"] = (after, timeoutMs, signal) => this.inner.waitForEvents(after, timeoutMs, signal);
  close = async (): Promise<void> => {};
}
