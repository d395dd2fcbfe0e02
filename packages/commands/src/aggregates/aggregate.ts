import type { RecordedEvent } from "@aidtrail/event-store";

/** How to fold one stream's recorded events into the state its decider needs. */
export interface Aggregate<S> {
  initialState(): S;
  evolve(state: S, event: RecordedEvent): S;
  /** A linear-time fold for a cold read of a long stream (the program's budget). */
  replay?(events: readonly RecordedEvent[]): S;
}

/** Adapts a domain decider's `evolve`, which sees `{ type, data }` only. */
export function fromDecider<S, E>(decider: { initialState(): S; evolve(state: S, event: E): S }): Aggregate<S> {
  return {
    initialState: decider.initialState,
    evolve: (state, event) => decider.evolve(state, { type: event.type, data: event.data } as E),
  };
}
