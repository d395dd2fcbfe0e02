import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSchemaViolation, EventTooLarge, InvalidAppend, UnknownEventType, WrongExpectedRevision } from "../errors.js";
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from "../event-store.js";
import type { ValidationOptions } from "../event-validation.js";
import { counted, freshStream, lastCheckpoint, readAllOnceVisible, registry } from "./contract-fixtures.js";

const numbers = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
const many = (count: number, from = 0): NewEvent[] => Array.from({ length: count }, (_, i) => counted(from + i));

/** Appends of hundreds of events (an adapter may write them another way than small ones): same promises. */
export function describeLargeAppends(getStore: () => EventStore, makeStore: (options?: ValidationOptions) => EventStore): void {
  describe("large appends (hundreds of events)", () => {
    let store: EventStore;
    beforeAll(() => {
      store = getStore();
    });

    it("writes every event in order, with its revision and position, contiguous in the global order", async () => {
      const start = await lastCheckpoint(store);
      const s = freshStream();
      await store.append(s, [counted(-1)], { expectedRevision: "no_stream" });
      const result = await store.append(s, many(250), { expectedRevision: 0 });
      expect(result.nextRevision).toBe(250);
      const events = await store.readStream(s);
      expect(numbers(events)).toEqual([-1, ...many(250).map((_, i) => i)]);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      expect(result.positions).toEqual(events.slice(1).map((e) => e.position));
      expect(result.checkpoint).toEqual({ transactionId: events.at(-1)!.transactionId, position: events.at(-1)!.position });
      const logged = await readAllOnceVisible(store, start, (e) => e.streamId === s, 251);
      expect(logged.map((e) => e.position)).toEqual(events.map((e) => e.position));
    });

    it("keeps text with tabs, newlines, backslashes and quotes exactly, in the type too", async () => {
      const s = freshStream();
      const odd = { n: 1, text: 'a\tb\nc\\d"e\r户\\\\t😀', nested: { "k\\t": ["\\N", "\\."] } };
      const events = [...many(150), { type: "Odd\\type\twith\nbreaks", data: odd, metadata: { note: "\\x00 stays text" } }];
      await store.append(s, events);
      const [last] = await store.readStream(s, { direction: "backwards", limit: 1 });
      expect(last).toMatchObject({ type: "Odd\\type\twith\nbreaks", data: odd, metadata: { note: "\\x00 stays text" } });
    });

    describe("conflicts write nothing", () => {
      const cases: Array<[string, ExpectedRevision, number]> = [
        ["a stale number", 0, 1],
        ["a number on a missing stream", 0, -1],
        ["no_stream on an existing stream", "no_stream", 1],
        ["stream_exists on a missing stream", "stream_exists", -1],
      ];
      for (const [what, expectedRevision, actual] of cases) {
        it(what, async () => {
          const s = freshStream();
          if (actual >= 0) await store.append(s, [counted(1), counted(2)], { expectedRevision: "no_stream" });
          const before = await store.readStream(s);
          const error = await store.append(s, many(200), { expectedRevision }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(WrongExpectedRevision);
          expect(error).toMatchObject({ streamId: s, expected: expectedRevision, actual });
          expect(await store.readStream(s)).toEqual(before);
        });
      }
    });

    describe("an invalid event anywhere refuses the whole append", () => {
      let strict: EventStore;
      beforeAll(() => {
        strict = makeStore({ registry, maxEventBytes: 512 });
      });
      afterAll(async () => strict?.close());

      const invalid: Array<[string, NewEvent, new (...args: never[]) => Error]> = [
        ["an unknown type", { type: "Nope", data: { n: 1 } }, UnknownEventType],
        ["data failing its schema", { type: "Counted", data: { n: "one" } }, EventSchemaViolation],
        ["an oversized event", { type: "Counted", data: { n: 1, pad: "户".repeat(200) } }, EventTooLarge],
        ["U+0000", { type: "Counted", data: { n: 1, s: "\u0000" } }, InvalidAppend],
        ["a bigint", { type: "Counted", data: { n: 1, big: 1n } }, InvalidAppend],
      ];
      for (const [what, bad, errorType] of invalid) {
        it(`${what} at event 240 of 250: typed error, nothing written, the stream still new`, async () => {
          const s = freshStream();
          const events = many(250);
          events[240] = bad;
          const error = await strict.append(s, events, { expectedRevision: "no_stream" }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(errorType);
          expect(await strict.readStream(s)).toEqual([]);
          expect((await strict.append(s, many(200), { expectedRevision: "no_stream" })).nextRevision).toBe(199);
        });
      }
    });

    it("large and small appends racing on one stream: revisions gap-free, each append's events together and in order", async () => {
      const s = freshStream();
      const large = async (w: number) => {
        for (let k = 0; k < 3; k++) await store.append(s, many(120, (w * 10 + k) * 1000));
      };
      const small = async (w: number) => {
        for (let k = 0; k < 15; k++) await store.append(s, [counted(-(w * 100 + k) - 1)]);
      };
      await Promise.all([...[1, 2, 3].map(large), ...[1, 2, 3, 4].map(small)]);
      const events = await store.readStream(s);
      expect(events).toHaveLength(3 * 3 * 120 + 4 * 15);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      const ns = numbers(events);
      for (const w of [1, 2, 3]) {
        for (let k = 0; k < 3; k++) {
          const first = (w * 10 + k) * 1000;
          const at = ns.indexOf(first);
          expect(ns.slice(at, at + 120)).toEqual(many(120, first).map((_, i) => first + i));
        }
      }
    });
  });
}
