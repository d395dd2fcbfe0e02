import { canonicalEventBytes, canonicalize, leafHash } from "@aidtrail/audit";
import { PostgresEventStore, type RecordedEvent } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EDGE_VALUES, storable, storedLeaves } from "./stored-leaves.spec-helpers.js";

let database: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url, canonicalJson: canonicalize });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

/** The leaf the verifier computes for an event read back: RFC 8785 of its objects, hashed. */
const verifierLeaf = (event: RecordedEvent) => Buffer.from(leafHash(canonicalEventBytes(event))).toString("hex");

/** Every event of the streams read back as objects has a stored leaf, and it is the verifier's. */
async function expectStoredLeavesAreTheVerifiers(streamIds: readonly string[]) {
  const events = (await Promise.all(streamIds.map((id) => store.readStream(id)))).flat();
  const stored = await storedLeaves(database.db, events.map((e) => e.position));
  for (const event of events) expect(stored.get(event.position), `position ${event.position}`).toBe(verifierLeaf(event));
  return events;
}

const json = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ stringUnit: "binary", maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_VALUES) },
);
const anyText = fc.string({ unit: "binary", minLength: 1, maxLength: 12 }).map((s) => s.replaceAll("\u0000", "\u0001"));
const newEvent = fc.record({
  type: anyText,
  data: json.map(storable),
  metadata: fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), json).map((m) => storable(m) as Record<string, unknown>),
});
// Every character a stream id may have (event-validation's STREAM_ID), a counter keeps them apart.
const streamChars = fc.stringMatching(/^[A-Za-z0-9_.:@\-\u4e00-\u9fff]{1,20}$/);
let streams = 0;

describe("leaves stored by the append functions", () => {
  it("given generated events appended by group commit (aidtrail_append_batch), then each stored leaf is the verifier's leaf of the event read back", async () => {
    await fc.assert(
      fc.asyncProperty(streamChars, fc.array(newEvent, { minLength: 1, maxLength: 4 }), async (chars, events) => {
        const streamId = `${chars}-${streams++}`;
        await store.append(streamId, events);
        expect(await expectStoredLeavesAreTheVerifiers([streamId])).toHaveLength(events.length);
      }),
      { numRuns: 150 },
    );
  });

  it("given generated entries appended at once (aidtrail_append_atomic), one stream named twice, then each stored leaf is the verifier's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(newEvent, { minLength: 1, maxLength: 3 }), fc.array(newEvent, { minLength: 1, maxLength: 3 }), async (a, b) => {
        const first = `atomic-${streams++}`;
        const second = `atomic-中文-${streams++}`;
        await store.appendMany([
          { streamId: first, events: a, expectedRevision: "no_stream" },
          { streamId: second, events: b, expectedRevision: "no_stream" },
          { streamId: first, events: b, expectedRevision: a.length - 1 },
        ]);
        expect(await expectStoredLeavesAreTheVerifiers([first, second])).toHaveLength(a.length + 2 * b.length);
      }),
      { numRuns: 100 },
    );
  });

  it("given every edge value as data and as metadata, in both functions and the batch function's loop (two appends to one stream), then every leaf matches", async () => {
    const events = EDGE_VALUES.map((value, i) => ({ type: `edge ${i}`, data: value, metadata: { value } }));
    const streamId = `edges-${streams++}`;
    // One group-commit batch with two appends to one stream takes the function's loop path.
    await Promise.all([store.append(streamId, events.slice(0, 10)), store.append(streamId, events.slice(10))]);
    await store.appendMany([{ streamId: `${streamId}-atomic`, events, expectedRevision: "any" }]);
    const read = await expectStoredLeavesAreTheVerifiers([streamId, `${streamId}-atomic`]);
    expect(read).toHaveLength(2 * events.length);
  });

  it("given a store without a canonicaliser, then its appends store no leaf (the sealer computes those)", async () => {
    const plain = new PostgresEventStore({ db: database.db, url: database.url });
    try {
      const { positions } = await plain.append(`plain-${streams++}`, [{ type: "Plain", data: { a: 1 } }]);
      expect([...(await storedLeaves(database.db, positions)).values()]).toEqual([null]);
    } finally {
      await plain.close();
    }
  });

  it("given data nested deeper than the canonicaliser goes, then it is appended as before, without a leaf", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 150; i++) deep = [deep];
    const { positions } = await store.append(`deep-${streams++}`, [{ type: "Deep", data: deep }]);
    expect([...(await storedLeaves(database.db, positions)).values()]).toEqual([null]);
  });
});

describe("aidtrail_event_leaf's fixed parts", () => {
  it("given recorded times across the whole canonical range and types made of any character, then PostgreSQL's leaf is the verifier's", async () => {
    const samples = fc.sample(
      fc.record({
        ms: fc.oneof(fc.integer({ min: 0, max: 253402300799999 }), fc.integer({ min: Date.now() - 1e10, max: Date.now() + 1e10 })),
        type: anyText,
        streamId: streamChars,
        position: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        revision: fc.integer({ min: 0, max: 2 ** 40 }),
      }),
      { numRuns: 3000, seed: 6 },
    );
    // Every BMP character but U+0000 and the surrogates, 64 to a type, and a supplementary one.
    for (let c = 1; c < 0x10000; c += 64) {
      const chars = Array.from({ length: 64 }, (_, k) => c + k).filter((u) => (u < 0xd800 || u > 0xdfff) && u <= 0xffff);
      samples.push({ ms: c, type: String.fromCharCode(...chars), streamId: "s", position: c, revision: 0 });
    }
    samples.push({ ms: 1, type: "\u{1F600}\u{10FFFF}", streamId: "中文", position: 1, revision: 0 });
    // Sent as text: PostgreSQL reads an ISO instant exactly.
    const { rows } = await sql<{ leaf: Buffer }>`
      select aidtrail_event_leaf('{"a":[1,"x"]}', '{}', p, at, r, s, t) as leaf
      from unnest(${samples.map((s) => new Date(s.ms).toISOString())}::timestamptz[], ${samples.map((s) => s.position)}::int8[], ${samples.map((s) => s.revision)}::int8[],
                  ${samples.map((s) => s.streamId)}::text[], ${samples.map((s) => s.type)}::text[]) with ordinality as u(at, p, r, s, t, i)
      order by i`.execute(database.db);
    expect(rows.map((r) => r.leaf.toString("hex"))).toEqual(
      samples.map((s) =>
        Buffer.from(
          leafHash(
            canonicalEventBytes({
              position: BigInt(s.position),
              streamId: s.streamId,
              revision: s.revision,
              type: s.type,
              data: { a: [1, "x"] },
              metadata: {},
              recordedAt: new Date(s.ms),
            }),
          ),
        ).toString("hex"),
      ),
    );
  });

  it("given appends, then recorded_at is stored in whole milliseconds, so the leaf's time is the stored instant exactly", async () => {
    const { positions } = await store.append(`ms-${streams++}`, [{ type: "T", data: {} }]);
    const { rows } = await sql<{ micros: string }>`
      select (extract(microseconds from recorded_at)::int8 % 1000)::text as micros from events where position = ${positions[0]!.toString()}`.execute(database.db);
    expect(rows).toEqual([{ micros: "0" }]);
  });
});

describe("positions under concurrent appenders", () => {
  it("given many writers on three stores racing appends and appendMany on shared streams, then revisions are gap-free, positions ascend with them and within each call, the log has each event once and every stored leaf matches", async () => {
    const stores = [store, ...[1, 2].map(() => new PostgresEventStore({ db: database.db, url: database.url, canonicalJson: canonicalize }))];
    const shared = Array.from({ length: 6 }, (_, i) => `race-${streams}-${i}`);
    streams++;
    const rng = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { numRuns: 24 * 15 * 4, seed: 11 });
    let r = 0;
    const pick = (n: number) => rng[r++ % rng.length]! % n;
    const event = (w: number, k: number) => ({ type: "Raced", data: { w, k, text: "引号\"\u2028" }, metadata: { w } });
    let appended = 0;
    try {
      await Promise.all(
        Array.from({ length: 24 }, async (_, w) => {
          for (let k = 0; k < 15; k++) {
            const writer = stores[w % stores.length]!;
            if (pick(2) === 0) {
              const count = 1 + pick(3);
              const { positions } = await writer.append(shared[pick(shared.length)]!, Array.from({ length: count }, () => event(w, k)));
              expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
              appended += count;
            } else {
              // Entries may name one stream twice; positions must follow entry order across the call.
              const entries = Array.from({ length: 2 + pick(2) }, () => ({
                streamId: shared[pick(shared.length)]!,
                events: [event(w, k), event(w, k + 100)],
                expectedRevision: "any" as const,
              }));
              const results = await writer.appendMany(entries);
              const positions = results.flatMap((x) => x.positions);
              expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
              appended += 2 * entries.length;
            }
          }
        }),
      );
    } finally {
      await Promise.all(stores.slice(1).map((s) => s.close()));
    }
    const events = await expectStoredLeavesAreTheVerifiers(shared);
    expect(events).toHaveLength(appended);
    for (const id of shared) {
      const stream = events.filter((e) => e.streamId === id);
      expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
      const positions = stream.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    }
    expect(new Set(events.map((e) => e.position)).size).toBe(appended);
  });
});
