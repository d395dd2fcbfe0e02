import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSchemaViolation, EventTooLarge, InvalidAppend, UnknownEventType, WrongExpectedRevision } from "../errors.js";
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from "../event-store.js";
import type { ValidationOptions } from "../event-validation.js";
import { compareCheckpoints, pollAll } from "../poller.js";
import { describeAppendMany } from "./append-many-contract.js";
import { describeLargeAppends } from "./large-append-contract.js";
import { counted, freshStream, lastCheckpoint, registry } from "./contract-fixtures.js";

export interface ContractSubject {
  makeStore(options?: ValidationOptions): EventStore;
  /**
   * Appends inside a transaction that stays open for `holdMs` before committing,
   * for adapters that have transactions; the reader must wait for it, not skip it.
   */
  appendHeldOpen?(streamId: string, events: NewEvent[], holdMs: number): Promise<void>;
  teardown(): Promise<void>;
}

/** The behaviour every EventStore adapter must have; each adapter's spec calls this. */
export function runEventStoreContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.makeStore();
    });
    afterAll(async () => {
      await store?.close();
      await subject?.teardown();
    });

    const expectConflict = async (streamId: string, expected: ExpectedRevision, actual: number) => {
      const before = await store.readStream(streamId);
      const error = await store.append(streamId, [counted(99)], { expectedRevision: expected }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(error).toMatchObject({ streamId, expected, actual });
      expect(await store.readStream(streamId)).toEqual(before);
    };

    describe("expectedRevision", () => {
      it("no_stream: creates a stream, then refuses a second creation", async () => {
        const s = freshStream();
        const result = await store.append(s, [counted(1), counted(2)], { expectedRevision: "no_stream" });
        expect(result.nextRevision).toBe(1);
        expect(result.positions).toHaveLength(2);
        await expectConflict(s, "no_stream", 1);
      });

      it("a number: accepts the current revision, refuses a stale or future one", async () => {
        const s = freshStream();
        await store.append(s, [counted(1)], { expectedRevision: "no_stream" });
        const second = await store.append(s, [counted(2)], { expectedRevision: 0 });
        expect(second.nextRevision).toBe(1);
        await expectConflict(s, 0, 1);
        await expectConflict(s, 5, 1);
      });

      it("a number on a stream that does not exist is a conflict", async () => {
        await expectConflict(freshStream(), 0, -1);
      });

      it("stream_exists: refuses a missing stream, accepts an existing one", async () => {
        const s = freshStream();
        await expectConflict(s, "stream_exists", -1);
        await store.append(s, [counted(1)], { expectedRevision: "any" });
        const result = await store.append(s, [counted(2)], { expectedRevision: "stream_exists" });
        expect(result.nextRevision).toBe(1);
      });

      it("any: appends whatever the stream holds", async () => {
        const s = freshStream();
        expect((await store.append(s, [counted(1)], { expectedRevision: "any" })).nextRevision).toBe(0);
        expect((await store.append(s, [counted(2)])).nextRevision).toBe(1);
      });

      it("a failed append leaves a missing stream missing", async () => {
        const s = freshStream();
        await expectConflict(s, 3, -1);
        const created = await store.append(s, [counted(1)], { expectedRevision: "no_stream" });
        expect(created.nextRevision).toBe(0);
      });

      it("of 30 concurrent creators of one stream exactly one wins", async () => {
        const s = freshStream();
        const results = await Promise.allSettled(
          Array.from({ length: 30 }, (_, i) => store.append(s, [counted(i)], { expectedRevision: "no_stream" })),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won).toHaveLength(1);
        for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it("concurrent optimistic writers never lose an update", async () => {
        const s = freshStream();
        await store.append(s, [counted(0)], { expectedRevision: "no_stream" });
        let successes = 0;
        const writer = async (w: number) => {
          for (let k = 0; k < 10; k++) {
            for (;;) {
              const [last] = await store.readStream(s, { direction: "backwards", limit: 1 });
              try {
                await store.append(s, [counted(w * 100 + k)], { expectedRevision: last!.revision });
                successes++;
                break;
              } catch (error) {
                if (!(error instanceof WrongExpectedRevision)) throw error;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
        const events = await store.readStream(s);
        expect(successes).toBe(80);
        expect(events).toHaveLength(81);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      });
    });

    describe("atomic multi-event appends", () => {
      it("writes all events of an append or none", async () => {
        const s = freshStream();
        await store.append(s, [counted(1)], { expectedRevision: "no_stream" });
        const error = await store
          .append(s, [counted(2), counted(3), counted(4)], { expectedRevision: "no_stream" })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        const ok = await store.append(s, [counted(2), counted(3), counted(4)], { expectedRevision: 0 });
        expect(ok.nextRevision).toBe(3);
        const events = await store.readStream(s);
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
        expect(ok.positions).toEqual(events.slice(1).map((e) => e.position));
      });

      it("one refused append does not disturb concurrent appends to other streams", async () => {
        const streams = Array.from({ length: 20 }, () => freshStream());
        const results = await Promise.allSettled(
          streams.map((s, i) => store.append(s, [counted(i), counted(i)], { expectedRevision: i % 2 === 0 ? "no_stream" : 7 })),
        );
        for (const [i, r] of results.entries()) expect(r.status).toBe(i % 2 === 0 ? "fulfilled" : "rejected");
        for (const [i, s] of streams.entries()) expect(await store.readStream(s)).toHaveLength(i % 2 === 0 ? 2 : 0);
      });
    });

    describeAppendMany(
      () => store,
      (options) => subject.makeStore(options),
    );
    describeLargeAppends(
      () => store,
      (options) => subject.makeStore(options),
    );

    describe("validation before writing", () => {
      let strict: EventStore;
      beforeAll(() => {
        strict = subject.makeStore({ registry, maxEventBytes: 512 });
      });
      afterAll(async () => strict?.close());

      it("refuses an unknown event type and writes nothing", async () => {
        const s = freshStream();
        const error = await strict.append(s, [counted(1), { type: "Nope", data: {} }]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnknownEventType);
        expect(await strict.readStream(s)).toEqual([]);
      });

      it("refuses data that fails its schema and writes nothing", async () => {
        const s = freshStream();
        const error = await strict.append(s, [counted(1), { type: "Counted", data: { n: 1.5 } }]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventSchemaViolation);
        expect((error as EventSchemaViolation).issues[0]).toContain("n");
        expect(await strict.readStream(s)).toEqual([]);
      });

      it("refuses an oversized event and writes nothing", async () => {
        const s = freshStream();
        const big = { type: "Counted", data: { n: 1, pad: "户".repeat(200) } };
        const error = await strict.append(s, [counted(1), big]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventTooLarge);
        expect((error as EventTooLarge).bytes).toBeGreaterThan(512);
        expect(await strict.readStream(s)).toEqual([]);
      });
    });

    describe("values JSON or PostgreSQL cannot hold", () => {
      const cyclic: Record<string, unknown> = { n: 1 };
      cyclic.self = cyclic;
      const refused: Array<[string, NewEvent]> = [
        ["a bigint", { type: "Counted", data: { n: 1, big: 10n } }],
        ["NaN", { type: "Counted", data: { n: 1, x: Number.NaN } }],
        ["Infinity in metadata", { type: "Counted", data: { n: 1 }, metadata: { nested: [1, { x: Number.POSITIVE_INFINITY }] } }],
        ["a cycle", { type: "Counted", data: cyclic }],
        ["data that has no JSON text (undefined)", { type: "Counted", data: undefined }],
        ["U+0000 in a string", { type: "Counted", data: { n: 1, name: "张\u0000三" } }],
        ["an unpaired surrogate in a key", { type: "Counted", data: { n: 1, "k\ud800": 1 } }],
      ];
      for (const [what, bad] of refused) {
        it(`refuses ${what} and writes nothing`, async () => {
          const s = freshStream();
          const error = await store.append(s, [counted(1), bad]).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidAppend);
          expect(await store.readStream(s)).toEqual([]);
        });
      }

      it("a refused append does not fail the appends written beside it", async () => {
        const streams = Array.from({ length: 12 }, () => freshStream());
        const results = await Promise.allSettled(
          streams.map((s, i) =>
            store.append(s, [i === 5 ? { type: "Counted", data: { n: 1, name: "\u0000" } } : counted(i)], {
              expectedRevision: "no_stream",
            }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(streams.map((_, i) => (i === 5 ? "rejected" : "fulfilled")));
      });

      it("keeps text that only looks like an escape, and characters outside the BMP", async () => {
        const s = freshStream();
        const data = { n: 1, literal: "\\u0000 and \\ud800", emoji: "😀", control: "a\u0001b" };
        await store.append(s, [{ type: "Counted", data }]);
        expect((await store.readStream(s))[0]!.data).toEqual(data);
      });
    });

    describe("reading", () => {
      it("reads a stream forwards, backwards, from a revision, with a limit", async () => {
        const s = freshStream();
        await store.append(s, [0, 1, 2, 3, 4].map(counted));
        const n = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(n(await store.readStream(s))).toEqual([0, 1, 2, 3, 4]);
        expect(n(await store.readStream(s, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(n(await store.readStream(s, { fromRevision: 1, limit: 2 }))).toEqual([1, 2]);
        expect(n(await store.readStream(s, { direction: "backwards" }))).toEqual([4, 3, 2, 1, 0]);
        expect(n(await store.readStream(s, { direction: "backwards", fromRevision: 3, limit: 2 }))).toEqual([3, 2]);
        expect(await store.readStream(freshStream())).toEqual([]);
      });

      it("keeps the event's data, metadata and stream identity", async () => {
        const s = freshStream("户");
        const data = { n: 7, name: "张三", nested: { list: [1, "二", null] } };
        await store.append(s, [{ type: "Counted", data, metadata: { actor: "officer-01", requestId: "r1" } }]);
        const [event] = await store.readStream(s);
        expect(event).toMatchObject({ streamId: s, revision: 0, type: "Counted", data, metadata: { actor: "officer-01" } });
        expect(event!.recordedAt).toBeInstanceOf(Date);
      });

      it("readAll returns sequential appends in append order and pages without gaps", async () => {
        const start = await lastCheckpoint(store);
        const s1 = freshStream();
        const s2 = freshStream();
        const appended: bigint[] = [];
        for (let i = 0; i < 10; i++) {
          const r = await store.append(i % 2 ? s1 : s2, [counted(i), counted(i + 100)]);
          appended.push(...r.positions);
        }
        const pageThrough = async () => {
          const seen: bigint[] = [];
          let after = start;
          for (;;) {
            const page = await store.readAll({ after, limit: 3 });
            if (page.length === 0) return seen.filter((p) => appended.includes(p));
            seen.push(...page.map((e) => e.position));
            after = { transactionId: page.at(-1)!.transactionId, position: page.at(-1)!.position };
          }
        };
        let seen = await pageThrough();
        // On a shared server another database's transaction can hold the horizon back for a
        // moment; page through again (from the start) until it has passed our appends.
        for (let tries = 0; seen.length < appended.length && tries < 600; tries++) {
          await new Promise((r) => setTimeout(r, 50));
          seen = await pageThrough();
        }
        expect(seen).toEqual(appended);
      });
    });

    it("a poller under many concurrent writers and held-open transactions never skips or repeats an event", async () => {
      const start = await lastCheckpoint(store);
      const writers = 16;
      const appendsPerWriter = 150;
      const expected = new Set<bigint>();
      const prefix = freshStream("race");

      const seen: RecordedEvent[] = [];
      const controller = new AbortController();
      const reader = (async () => {
        for await (const batch of pollAll(store, { after: start, batchSize: 97, idleTimeoutMs: 50, signal: controller.signal })) {
          for (const e of batch) if (e.streamId.startsWith(prefix)) seen.push(e);
        }
      })();

      const writer = async (w: number) => {
        for (let k = 0; k < appendsPerWriter; k++) {
          const stream = `${prefix}-${w}-${k % 5}`;
          const events = Array.from({ length: 1 + (k % 3) }, (_, j) => counted(w * 10_000 + k * 10 + j));
          const r = await store.append(stream, events);
          for (const p of r.positions) expected.add(p);
        }
      };
      const holder = async () => {
        if (!subject.appendHeldOpen) return;
        for (let k = 0; k < 12; k++) {
          await subject.appendHeldOpen(`${prefix}-held-${k}`, [counted(k)], 40 + (k % 4) * 30);
        }
      };
      const heldCount = subject.appendHeldOpen ? 12 : 0;
      await Promise.all([...Array.from({ length: writers }, (_, w) => writer(w)), holder()]);

      const total = expected.size + heldCount;
      const deadline = Date.now() + 30_000;
      while (seen.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // Give a would-be duplicate the chance to show up before stopping.
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      await reader;

      expect(total).toBeGreaterThan(4000);
      const positions = seen.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect(seen).toHaveLength(total);
      for (const p of expected) expect(positions).toContain(p);
      for (let i = 1; i < seen.length; i++) expect(compareCheckpoints(seen[i - 1]!, seen[i]!)).toBe(-1);
    });
  });
}
