import { DomainError } from "@aidtrail/domain";
import { type AppendOptions, type EventStore, type NewEvent, PostgresEventStore, type StreamAppend } from "@aidtrail/event-store";
import { type TestDatabase, createTestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Aggregate } from "./aggregate.js";
import { CompanionConflict, StreamWriter } from "./stream-writer.js";

/** A pot of `size` tickets: each write takes one, or is refused when none is left. */
interface Pot {
  size: number | null;
  takenBy: string[];
}
const potAggregate: Aggregate<Pot> = {
  initialState: () => ({ size: null, takenBy: [] }),
  evolve: (pot, e) =>
    e.type === "PotOpened" ? { ...pot, size: (e.data as { size: number }).size } : { ...pot, takenBy: [...pot.takenBy, (e.data as { by: string }).by] },
};

class PotEmpty extends DomainError {
  readonly code = "budget_exceeded";
  constructor() {
    super("the pot is empty");
  }
}

const open = (size: number) => (pot: Pot): NewEvent[] => (pot.size === null ? [{ type: "PotOpened", data: { size } }] : []);
const take = (by: string) => (pot: Pot): NewEvent[] => {
  if (pot.size === null || pot.takenBy.length >= pot.size) throw new PotEmpty();
  return [{ type: "TicketTaken", data: { by } }];
};

/** The store, counting appends (and their outcomes) per stream: the test's window on grouping. */
function countingStore(inner: EventStore) {
  const appends: Array<{ streamId: string; events: number; ok: boolean }> = [];
  const store: EventStore = {
    async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions) {
      try {
        const result = await inner.append(streamId, events, options);
        appends.push({ streamId, events: events.length, ok: true });
        return result;
      } catch (error) {
        appends.push({ streamId, events: events.length, ok: false });
        throw error;
      }
    },
    async appendMany(entries: readonly StreamAppend[]) {
      try {
        const results = await inner.appendMany!(entries);
        appends.push({ streamId: "(many)", events: entries.length, ok: true });
        return results;
      } catch (error) {
        appends.push({ streamId: "(many)", events: entries.length, ok: false });
        throw error;
      }
    },
    readStream: (streamId, options) => inner.readStream(streamId, options),
    readAll: (options) => inner.readAll(options),
    waitForEvents: (after, ms, signal) => inner.waitForEvents(after, ms, signal),
    close: () => inner.close(),
  };
  return { store, appends };
}

let database: TestDatabase;
let pg: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  pg = new PostgresEventStore({ db: database.db, url: database.url });
});
afterAll(async () => {
  await pg?.close();
  await database?.drop();
});

const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

describe("StreamWriter on PostgreSQL", () => {
  it("60 concurrent writers of one stream: exactly the 40 that fit succeed, in fewer appends than writes, each with its own event", async () => {
    const { store, appends } = countingStore(pg);
    const writer = new StreamWriter(store);
    await writer.write("pot-a", potAggregate, open(40));
    const results = await settled(Array.from({ length: 60 }, (_, i) => writer.write("pot-a", potAggregate, take(`w${i}`))));

    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, value: r.value }] : []));
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(40);
    expect(lost).toHaveLength(20);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PotEmpty);
    // Each writer is handed its own event (its data, its revision) and the state right after it.
    for (const { i, value } of won) {
      expect(value.appended).toHaveLength(1);
      expect(value.appended[0]!.data).toEqual({ by: `w${i}` });
      expect(value.state.takenBy.at(-1)).toBe(`w${i}`);
      expect(value.revision).toBe(value.appended[0]!.revision);
    }
    const stored = await pg.readStream("pot-a");
    expect(stored.map((e) => e.revision)).toEqual(stored.map((_, r) => r));
    expect(stored.filter((e) => e.type === "TicketTaken")).toHaveLength(40);
    // Writers waiting for the stream were decided together: fewer appends than successful writes.
    expect(appends.filter((a) => a.streamId === "pot-a" && a.ok).length).toBeLessThan(41);
  });

  it("three processes (own caches) racing on one pot of 30: exactly 30 tickets, no revision twice, every loser refused", async () => {
    const writers = Array.from({ length: 3 }, () => new StreamWriter(pg));
    await writers[0]!.write("pot-b", potAggregate, open(30));
    // Every process has seen the opened pot: their first decisions guess from a cache that goes stale.
    for (const w of writers) await w.read("pot-b", potAggregate);
    const results = await settled(Array.from({ length: 75 }, (_, i) => writers[i % 3]!.write("pot-b", potAggregate, take(`p${i}`))));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(reasons).toHaveLength(45);
    for (const reason of reasons) expect(reason).toBeInstanceOf(PotEmpty);
    const stored = await pg.readStream("pot-b");
    expect(stored.filter((e) => e.type === "TicketTaken")).toHaveLength(30);
    expect(new Set(stored.map((e) => (e.data as { by?: string }).by)).size).toBe(31);
  });

  it("a write to a stream this process never saw is guessed new; when it exists, the guess fails its append and the stored state decides", async () => {
    const { store, appends } = countingStore(pg);
    await new StreamWriter(pg).write("pot-c", potAggregate, open(5));
    const fresh = new StreamWriter(store);
    // "Open if not open": on the guessed empty stream it would append; on the stored one it is a no-op.
    const result = await fresh.write("pot-c", potAggregate, open(7));
    expect(result.appended).toEqual([]);
    expect(result.state.size).toBe(5);
    expect(appends).toEqual([{ streamId: "pot-c", events: 1, ok: false }]);
    expect(await pg.readStream("pot-c")).toHaveLength(1);
    // A brand-new stream costs one append and no read.
    const created = await fresh.write("pot-d", potAggregate, open(3));
    expect(created.appended.map((e) => e.revision)).toEqual([0]);
  });

  it("a refusal is never answered from a guess: the stored stream decides it", async () => {
    const writer = new StreamWriter(pg);
    // This process saw no pot; another one opens it behind its cache.
    await writer.read("pot-e", potAggregate);
    await new StreamWriter(pg).write("pot-e", potAggregate, open(2));
    const result = await writer.write("pot-e", potAggregate, take("late"));
    expect(result.appended.map((e) => e.revision)).toEqual([1]);
    // A lost race is still decided on what is stored: the last ticket taken elsewhere refuses here.
    await new StreamWriter(pg).write("pot-e", potAggregate, take("other"));
    await expect(writer.write("pot-e", potAggregate, take("later"))).rejects.toBeInstanceOf(PotEmpty);
    expect((await pg.readStream("pot-e")).map((e) => (e.data as { by?: string }).by)).toEqual([undefined, "late", "other"]);
  });

  it("joint writes of one stream go out together in one appendMany; a companion that exists drops only its own write", async () => {
    const { store, appends } = countingStore(pg);
    const writer = new StreamWriter(store);
    await writer.write("pot-j", potAggregate, open(10));
    await pg.append("tag-j3", [{ type: "Tagged", data: { by: "someone else" } }]);
    const tagged = (by: string) => (pot: Pot) => ({
      before: [{ streamId: `tag-${by}`, aggregate: potAggregate as Aggregate<unknown>, events: [{ type: "Tagged", data: { by } }], expectedRevision: "no_stream" as const }],
      events: take(by)(pot),
    });
    const results = await settled(Array.from({ length: 7 }, (_, i) => writer.writeJointly("pot-j", potAggregate, tagged(`j${i}`))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(CompanionConflict);
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") continue;
      // Its companion and its own event landed in the same transaction.
      expect(r.value.companions).toHaveLength(1);
      expect(r.value.companions[0]!.checkpoint.transactionId).toBe(r.value.appended[0]!.transactionId);
      expect((await pg.readStream(`tag-j${i}`)).map((e) => e.data)).toEqual([{ by: `j${i}` }]);
    }
    expect((await pg.readStream("tag-j3")).map((e) => e.data)).toEqual([{ by: "someone else" }]);
    const stored = await pg.readStream("pot-j");
    expect(stored.filter((e) => e.type === "TicketTaken").map((e) => (e.data as { by: string }).by).sort()).toEqual(["j0", "j1", "j2", "j4", "j5", "j6"]);
    // Six joint writes, one failed attempt for the group holding j3, and fewer successful appendMany than writes.
    const many = appends.filter((a) => a.streamId === "(many)");
    expect(many.filter((a) => !a.ok)).toHaveLength(1);
    expect(many.filter((a) => a.ok).length).toBeLessThan(6);
  });
});
