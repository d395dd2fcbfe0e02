import { expect } from "vitest";
import { parseDomainEvent } from "../events.js";
import type { Decider } from "../shared/decider.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * given(events).when(command).then(expectedEvents) for a decider, as in Emmett:
 * tests assert on events, never on internal state.
 */
export function deciderSpec<Command, State, Event>(decider: Decider<Command, State, Event>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            // biome-ignore lint/suspicious/noThenProperty: the given/when/then form is the point; this object is never awaited
            then(expected: readonly Event[]): void {
              const events = run();
              expect(events).toEqual(expected);
              // Whatever a decider emits must pass the registry the event store enforces.
              for (const e of events) parseDomainEvent(e as { type: string; data: unknown });
            },
            /** Expects a refusal of this class, optionally with matching fields (e.g. `{ code, details }`). */
            thenThrows(errorClass: ErrorClass, fields?: Record<string, unknown>): void {
              let thrown: unknown;
              try {
                run();
              } catch (e) {
                thrown = e;
              }
              expect(thrown, "expected the command to be refused").toBeInstanceOf(errorClass);
              if (fields) expect(thrown).toMatchObject(fields);
            },
          };
        },
      };
    },
  };
}
