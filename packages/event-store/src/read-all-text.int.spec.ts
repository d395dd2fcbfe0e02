import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { APPEND_BATCH_CALL } from "./append-batch-call.spec-helpers.js";
import type { GlobalCheckpoint, RecordedEvent, RecordedEventText } from "./event-store.js";
import { PostgresEventStore } from "./postgres-event-store.js";

let database: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  store = new PostgresEventStore({ db: database.db, url: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

async function pages<E extends RecordedEvent | RecordedEventText>(read: (o: { after: GlobalCheckpoint; limit: number }) => Promise<E[]>, limit: number) {
  const all: E[] = [];
  let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  for (;;) {
    const page = await read({ after, limit });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1]!;
  }
}

/** All pages once at least `count` events are readable: another database's open transaction on a shared server can hold the horizon back. */
async function pagesOnceVisible<E extends RecordedEvent | RecordedEventText>(read: (o: { after: GlobalCheckpoint; limit: number }) => Promise<E[]>, limit: number, count: number) {
  for (const deadline = Date.now() + 30_000; ; ) {
    const all = await pages(read, limit);
    if (all.length >= count || Date.now() > deadline) return all;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Escapes (backslash, tab, newline, carriage return, JSON's) and non-ASCII text, in every text column it reads.
const ODD = ["tab\there", "new\nline", "cr\r", "back\\slash", 'quote"', "\u0001\u001f", "两不愁三保障", "\u{1F600}", "\\N", "\\\\t", "\b\f\v"];

describe("readAllText", () => {
  it("given events with escapes and non-ASCII text in every column, when read as text in pages, then every event, field and JSON text is readAll's", async () => {
    for (const [i, s] of ODD.entries()) {
      await store.append(`odd-${i}`, [
        { type: `Odd${s}`, data: { s, [s]: [s, i, -0.5, 1e21, null, { nested: s }] }, metadata: { note: s } },
        { type: "Plain", data: { i } },
      ]);
    }
    const objects = await pagesOnceVisible((o) => store.readAll(o), 5, 2 * ODD.length);
    const texts = await pages((o) => store.readAllText(o), 5);
    expect(texts.length).toBe(2 * ODD.length);
    expect(texts.map(({ dataJson, metadataJson, ...rest }) => ({ ...rest, data: JSON.parse(dataJson), metadata: JSON.parse(metadataJson) }))).toEqual(
      // This store has no canonicaliser, so no leaf is stored.
      objects.map((e) => ({ ...e, leaf: null })),
    );
    // The JSON text is PostgreSQL's, byte for byte.
    const { rows } = await database.pool.query<{ d: string; m: string }>("select data::text as d, metadata::text as m from events order by transaction_id, position");
    expect(texts.map((e) => [e.dataJson, e.metadataJson])).toEqual(rows.map((r) => [r.d, r.m]));
  });

  it("given an open transaction holding an event, when read as text, then nothing after the horizon is returned until it commits", async () => {
    const before = (await pagesOnceVisible((o) => store.readAllText(o), 100, 2 * ODD.length)).length;
    const slow = await database.pool.connect();
    try {
      await slow.query("begin");
      await slow.query(APPEND_BATCH_CALL, [["late-1"], [-2], [1], JSON.stringify([{ t: "Late", d: {}, m: {} }])]);
      await store.append("early-1", [{ type: "Early", data: {} }]);
      expect((await pages((o) => store.readAllText(o), 100)).length).toBe(before);
      await slow.query("commit");
    } finally {
      slow.release();
    }
    const all = await pagesOnceVisible((o) => store.readAllText(o), 100, before + 2);
    expect(all.slice(before).map((e) => e.streamId)).toEqual(["late-1", "early-1"]);
  });
});
