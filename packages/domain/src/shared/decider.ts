/** The three pure functions of an aggregate (Emmett's decider). */
export interface Decider<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events into state, as the handler does after reading a stream. */
export function replay<State, Event>(decider: Pick<Decider<never, State, Event>, "evolve" | "initialState">, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}
