import { type AppendOptions, type AppendResult, type EventStore, type NewEvent, WrongExpectedRevision } from "@aidtrail/event-store";

/** Before the append (nothing written), after it (written, unanswered), or on its conflict (nothing written, the conflict unheard). */
type CrashPoint = "before" | "after" | "on_conflict";

/**
 * An EventStore that "crashes" once, on the first append whose events match: before the append
 * (nothing written) or after it (written, but the caller never hears back) — the two ways a
 * process can die around a write — or right after the append failed its expected revision.
 */
export class CrashingStore implements EventStore {
  private trap: { type: string; when: CrashPoint } | null = null;
  /** Present only with `multiStream` (and an inner store that has it): without it, payments take the saga step by step. */
  readonly appendMany?: NonNullable<EventStore["appendMany"]>;

  constructor(
    private readonly inner: EventStore,
    options: { multiStream?: boolean } = {},
  ) {
    const appendMany = inner.appendMany?.bind(inner);
    if (options.multiStream && appendMany) {
      this.appendMany = (entries) => this.around(entries.flatMap((e) => e.events), () => appendMany(entries));
    }
  }

  /** The next append containing an event of `type` fails, before or after reaching the inner store, or when it conflicts there. */
  crashOn(type: string, when: CrashPoint): void {
    this.trap = { type, when };
  }

  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.around(events, () => this.inner.append(streamId, events, options));
  }

  private async around<T>(events: readonly NewEvent[], write: () => Promise<T>): Promise<T> {
    const trap = this.trap;
    const hit = trap !== null && events.some((e) => e.type === trap.type);
    if (hit && trap.when === "before") {
      this.trap = null;
      throw new Error(`simulated crash before appending ${trap.type}`);
    }
    let result: T;
    try {
      result = await write();
    } catch (error) {
      if (hit && trap.when === "on_conflict" && error instanceof WrongExpectedRevision) {
        this.trap = null;
        throw new Error(`simulated crash on a conflict appending ${trap.type}`);
      }
      throw error;
    }
    if (hit && trap.when !== "on_conflict") {
      this.trap = null;
      throw new Error(`simulated crash after appending ${trap.type}`);
    }
    return result;
  }

  readStream: EventStore["readStream"] = (streamId, options) => this.inner.readStream(streamId, options);
  readAll: EventStore["readAll"] = (options) => this.inner.readAll(options);
  waitForEvents: EventStore["waitForEvents"] = (after, timeoutMs, signal) => this.inner.waitForEvents(after, timeoutMs, signal);
  close = async (): Promise<void> => {};
}
