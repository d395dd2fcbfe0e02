import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EventSchemaViolation, EventTooLarge, InvalidAppend, UnknownEventType, WrongExpectedRevision } from "../errors.js";
import type { AppendResult, EventStore, ExpectedRevision, RecordedEvent, StreamAppend } from "../event-store.js";
import type { ValidationOptions } from "../event-validation.js";
import { compareCheckpoints, pollAll } from "../poller.js";
import { counted, freshStream, lastCheckpoint, readAllOnceVisible, registry } from "./contract-fixtures.js";

const numbers = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);

/** appendMany's contract, for adapters that have it; skipped for those that leave it out. */
export function describeAppendMany(getStore: () => EventStore, makeStore: (options?: ValidationOptions) => EventStore): void {
  describe("appendMany (atomic multi-stream append)", () => {
    let store: EventStore;
    let appendMany: (entries: readonly StreamAppend[]) => Promise<AppendResult[]>;
    beforeEach((context) => {
      store = getStore();
      if (!store.appendMany) context.skip();
      appendMany = (entries) => store.appendMany!(entries);
    });

    /** Runs a refused appendMany and checks that every stream it named is exactly as before. */
    const expectRefusedLeavingAsBefore = async (entries: StreamAppend[]): Promise<unknown> => {
      const streamIds = [...new Set(entries.map((e) => e.streamId))];
      const before = await Promise.all(streamIds.map((s) => store.readStream(s)));
      const error = await appendMany(entries).catch((e: unknown) => e);
      expect(await Promise.all(streamIds.map((s) => store.readStream(s)))).toEqual(before);
      return error;
    };

    it("writes the entries in entry order, interleaving streams as given, in one transaction", async () => {
      const start = await lastCheckpoint(store);
      const [a, b, c] = [freshStream(), freshStream(), freshStream()];
      const results = await appendMany([
        { streamId: a, events: [counted(1), counted(2)], expectedRevision: "no_stream" },
        { streamId: b, events: [counted(3)], expectedRevision: "no_stream" },
        { streamId: a, events: [counted(4)], expectedRevision: 1 },
        { streamId: c, events: [counted(5), counted(6)], expectedRevision: "any" },
      ]);
      expect(results.map((r) => r.nextRevision)).toEqual([1, 0, 2, 1]);
      const positions = results.flatMap((r) => r.positions);
      expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
      expect(new Set(results.map((r) => r.checkpoint.transactionId)).size).toBe(1);

      const mine = new Set([a, b, c]);
      const logged = await readAllOnceVisible(store, start, (e) => mine.has(e.streamId), 6);
      expect(numbers(logged)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(logged.map((e) => e.position)).toEqual(positions);
      expect(results.map((r) => r.checkpoint.position)).toEqual(results.map((r) => r.positions.at(-1)));
      expect(numbers(await store.readStream(a))).toEqual([1, 2, 4]);
      expect((await store.readStream(a)).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it("checks a repeated stream's later entry against the revision its earlier entries leave", async () => {
      const s = freshStream();
      const results = await appendMany([
        { streamId: s, events: [counted(1)], expectedRevision: "no_stream" },
        { streamId: s, events: [counted(2)], expectedRevision: "stream_exists" },
        { streamId: s, events: [counted(3), counted(4)], expectedRevision: 1 },
      ]);
      expect(results.map((r) => r.nextRevision)).toEqual([0, 1, 3]);
      expect(numbers(await store.readStream(s))).toEqual([1, 2, 3, 4]);

      const t = freshStream();
      const error = await expectRefusedLeavingAsBefore([
        { streamId: t, events: [counted(1)], expectedRevision: "no_stream" },
        { streamId: t, events: [counted(2)], expectedRevision: "no_stream" },
      ]);
      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(error).toMatchObject({ streamId: t, entryIndex: 1, expected: "no_stream", actual: 0 });
    });

    describe("an entry without events is a revision check", () => {
      it("passes when its stream is at the revision, writes nothing to it, and answers with the call's checkpoint", async () => {
        const [checked, missing, written] = [freshStream(), freshStream(), freshStream()];
        await store.append(checked, [counted(1), counted(2)], { expectedRevision: "no_stream" });
        const results = await appendMany([
          { streamId: checked, events: [], expectedRevision: 1 },
          { streamId: missing, events: [], expectedRevision: "no_stream" },
          { streamId: written, events: [counted(3)], expectedRevision: "no_stream" },
          { streamId: written, events: [], expectedRevision: 0 }, // sees the entry before it
        ]);
        expect(results.map((r) => r.nextRevision)).toEqual([1, -1, 0, 0]);
        expect(results.map((r) => r.positions.length)).toEqual([0, 0, 1, 0]);
        for (const r of results) expect(r.checkpoint).toEqual(results[2]!.checkpoint);
        expect(numbers(await store.readStream(checked))).toEqual([1, 2]);
        expect(await store.readStream(missing)).toEqual([]);
        // The checked stream's revision is unchanged: its next append expects 1.
        expect((await store.append(checked, [counted(4)], { expectedRevision: 1 })).nextRevision).toBe(2);
      });

      it("fails the whole call when its stream moved, naming the check", async () => {
        const [checked, written] = [freshStream(), freshStream()];
        await store.append(checked, [counted(1), counted(2)], { expectedRevision: "no_stream" });
        const error = await expectRefusedLeavingAsBefore([
          { streamId: written, events: [counted(3)], expectedRevision: "no_stream" },
          { streamId: checked, events: [], expectedRevision: 0 },
        ]);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ streamId: checked, entryIndex: 1, expected: 0, actual: 1 });
      });

      it("racing appends to the checked stream: every success was checked against the revision it committed after", async () => {
        const checked = freshStream("checked");
        await store.append(checked, [counted(-1)], { expectedRevision: "no_stream" });
        const successes: Array<{ expected: number; position: bigint }> = [];
        let refused = 0;
        const checker = async (w: number) => {
          for (let k = 0; k < 20; k++) {
            const [last] = await store.readStream(checked, { direction: "backwards", limit: 1 });
            const expected = last!.revision;
            try {
              const [, own] = await appendMany([
                { streamId: checked, events: [], expectedRevision: expected },
                { streamId: freshStream(`own-${w}`), events: [counted(k)], expectedRevision: "no_stream" },
              ]);
              successes.push({ expected, position: own!.positions[0]! });
            } catch (error) {
              if (!(error instanceof WrongExpectedRevision)) throw error;
              refused++;
            }
          }
        };
        const mover = async () => {
          for (let k = 0; k < 30; k++) await store.append(checked, [counted(k)], { expectedRevision: "any" });
        };
        await Promise.all([checker(0), checker(1), checker(2), checker(3), mover()]);
        const moves = await store.readStream(checked);
        expect(moves).toHaveLength(31);
        expect(successes.length).toBeGreaterThan(0);
        // Appends to the checked stream are serialised with the checks: exactly `expected + 1` of
        // its events come before the checked call's own event in the global order.
        for (const s of successes) expect(moves.filter((e) => e.position < s.position)).toHaveLength(s.expected + 1);
        expect(successes.length + refused).toBe(80);
      });
    });

    describe("all or nothing when any entry conflicts", () => {
      const conflicts: Array<[string, (existing: string, missing: string) => StreamAppend, number]> = [
        ["a stale number", (existing) => ({ streamId: existing, events: [counted(9)], expectedRevision: 0 }), 1],
        ["a future number", (existing) => ({ streamId: existing, events: [counted(9)], expectedRevision: 7 }), 1],
        ["a number on a missing stream", (_, missing) => ({ streamId: missing, events: [counted(9)], expectedRevision: 0 }), -1],
        ["no_stream on an existing stream", (existing) => ({ streamId: existing, events: [counted(9)], expectedRevision: "no_stream" }), 1],
        ["stream_exists on a missing stream", (_, missing) => ({ streamId: missing, events: [counted(9)], expectedRevision: "stream_exists" }), -1],
      ];
      for (const [what, conflicting, actual] of conflicts) {
        it(`${what}: nothing of any entry is written, and the first conflicting entry is named`, async () => {
          const existing = freshStream();
          await store.append(existing, [counted(1), counted(2)], { expectedRevision: "no_stream" });
          const [fresh, missing, other] = [freshStream(), freshStream(), freshStream()];
          const bad = conflicting(existing, missing);
          const error = await expectRefusedLeavingAsBefore([
            { streamId: fresh, events: [counted(1), counted(2)], expectedRevision: "no_stream" },
            { streamId: other, events: [counted(3)], expectedRevision: "any" },
            bad,
            { streamId: fresh, events: [counted(4)], expectedRevision: 7 }, // also wrong, but not the first
          ]);
          expect(error).toBeInstanceOf(WrongExpectedRevision);
          expect(error).toMatchObject({ streamId: bad.streamId, entryIndex: 2, expected: bad.expectedRevision, actual });
          // A stream the refused call would have created is still missing.
          const created = await store.append(fresh, [counted(5)], { expectedRevision: "no_stream" });
          expect(created.nextRevision).toBe(0);
        });
      }
    });

    describe("validation before writing", () => {
      let strict: EventStore;
      beforeAll(() => {
        strict = makeStore({ registry, maxEventBytes: 512 });
      });
      afterAll(async () => strict?.close());

      const invalid: Array<[string, StreamAppend, new (...args: never[]) => Error]> = [
        ["an unknown event type", { streamId: "x", events: [counted(1), { type: "Nope", data: {} }], expectedRevision: "any" }, UnknownEventType],
        ["data that fails its schema", { streamId: "x", events: [{ type: "Counted", data: { n: 1.5 } }], expectedRevision: "any" }, EventSchemaViolation],
        ["an oversized event", { streamId: "x", events: [{ type: "Counted", data: { n: 1, pad: "户".repeat(200) } }], expectedRevision: "any" }, EventTooLarge],
        ["U+0000 in a string", { streamId: "x", events: [{ type: "Counted", data: { n: 1, s: "\u0000" } }], expectedRevision: "any" }, InvalidAppend],
        ["an entry without events that checks nothing (\"any\")", { streamId: "x", events: [], expectedRevision: "any" }, InvalidAppend],
        ["an invalid stream id", { streamId: "bad stream id", events: [counted(1)], expectedRevision: "any" }, InvalidAppend],
      ];
      for (const [what, template, errorType] of invalid) {
        it(`refuses ${what} in any entry and writes nothing`, async () => {
          const [first, last] = [freshStream(), freshStream()];
          const bad = { ...template, streamId: template.streamId === "x" ? freshStream() : template.streamId };
          const entries: StreamAppend[] = [
            { streamId: first, events: [counted(1)], expectedRevision: "no_stream" },
            bad,
            { streamId: last, events: [counted(2)], expectedRevision: "no_stream" },
          ];
          const error = await strict.appendMany!(entries).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(errorType);
          for (const s of [first, last, bad.streamId]) expect(await strict.readStream(s)).toEqual([]);
        });
      }

      it("refuses an empty list of entries, and one of revision checks only", async () => {
        expect(await strict.appendMany!([]).catch((e: unknown) => e)).toBeInstanceOf(InvalidAppend);
        const checksOnly = [{ streamId: freshStream(), events: [], expectedRevision: "no_stream" as const }];
        expect(await strict.appendMany!(checksOnly).catch((e: unknown) => e)).toBeInstanceOf(InvalidAppend);
      });
    });

    it("racing on a hot stream: every success has all its events, every failure none, revisions gap-free, readAll never skips or repeats", async () => {
      const start = await lastCheckpoint(store);
      const prefix = freshStream("many");
      const hot = `${prefix}-hot`;
      const workers = 12;
      const callsPerWorker = 25;

      const seen: RecordedEvent[] = [];
      const controller = new AbortController();
      const reader = (async () => {
        for await (const batch of pollAll(store, { after: start, batchSize: 53, idleTimeoutMs: 50, signal: controller.signal })) {
          for (const e of batch) if (e.streamId.startsWith(prefix)) seen.push(e);
        }
      })();

      const succeeded: Array<{ tag: number; own: string; results: AppendResult[] }> = [];
      const failed: Array<{ tag: number; own: string }> = [];
      const worker = async (w: number) => {
        for (let k = 0; k < callsPerWorker; k++) {
          const tag = w * 1000 + k;
          // Every fifth call reuses its previous own stream with no_stream: a conflict on the
          // second entry, after the hot-stream entry passed its check.
          const own = `${prefix}-own-${w}-${k % 5 === 4 ? k - 1 : k}`;
          const [last] = await store.readStream(hot, { direction: "backwards", limit: 1 });
          const hotExpected: ExpectedRevision = k % 3 === 2 ? "any" : (last?.revision ?? "no_stream");
          try {
            const results = await appendMany([
              { streamId: hot, events: [counted(tag)], expectedRevision: hotExpected },
              { streamId: own, events: [counted(tag), counted(tag)], expectedRevision: "no_stream" },
            ]);
            succeeded.push({ tag, own, results });
          } catch (error) {
            if (!(error instanceof WrongExpectedRevision)) throw error;
            failed.push({ tag, own });
          }
        }
      };
      // Plain appends to the hot stream go through the same store at the same time.
      const plainWriter = async () => {
        for (let k = 0; k < 40; k++) await store.append(hot, [counted(-1 - k)], { expectedRevision: "any" });
      };
      await Promise.all([...Array.from({ length: workers }, (_, w) => worker(w)), plainWriter()]);

      expect(succeeded.length).toBeGreaterThan(workers);
      expect(failed.length).toBeGreaterThan(workers);
      const hotEvents = await store.readStream(hot);
      expect(hotEvents.map((e) => e.revision)).toEqual(hotEvents.map((_, i) => i));
      const hotTags = numbers(hotEvents);
      expect(hotTags.filter((n) => n < 0)).toHaveLength(40);
      expect(hotTags.filter((n) => n >= 0).sort((x, y) => x - y)).toEqual(succeeded.map((s) => s.tag).sort((x, y) => x - y));
      for (const { tag, own, results } of succeeded) {
        const ownEvents = await store.readStream(own);
        expect(numbers(ownEvents)).toEqual([tag, tag]);
        expect(ownEvents.map((e) => e.position)).toEqual(results[1]!.positions);
      }
      for (const { tag, own } of failed) {
        expect(hotTags).not.toContain(tag);
        expect(numbers(await store.readStream(own))).not.toContain(tag);
      }

      const total = hotEvents.length + succeeded.length * 2;
      const deadline = Date.now() + 30_000;
      while (seen.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100)); // a would-be duplicate's chance to show up
      controller.abort();
      await reader;
      const positions = seen.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect(seen).toHaveLength(total);
      for (let i = 1; i < seen.length; i++) expect(compareCheckpoints(seen[i - 1]!, seen[i]!)).toBe(-1);
      // One call's events sit together in the global order, in entry order.
      for (const { results } of succeeded) {
        const wanted = results.flatMap((r) => r.positions);
        const at = positions.indexOf(wanted[0]!);
        expect(positions.slice(at, at + wanted.length)).toEqual(wanted);
      }
    });
  });
}
