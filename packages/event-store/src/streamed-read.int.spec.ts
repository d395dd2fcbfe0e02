import { createDb, createPool } from "@aidtrail/db";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { GlobalCheckpoint, RecordedEvent } from "./event-store.js";
import { PostgresEventStore } from "./postgres-event-store.js";
import { streamedRows } from "./streamed-read.js";

let database: TestDatabase;
/** One connection: every read below reuses the one the reads before it left. */
let single: Kysely<any>;
let piped: Kysely<any>;
const stores: PostgresEventStore[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject("pgAdminUrl"));
  single = createDb(createPool(database.url, { max: 1 }));
  piped = createDb(createPool(database.url, { max: 2, pipeline: true }));
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await single?.destroy();
  await piped?.destroy();
  await database?.drop();
});

function storeOn(db: Kysely<any>): PostgresEventStore {
  const store = new PostgresEventStore({ db, url: database.url });
  stores.push(store);
  return store;
}

async function pages(store: PostgresEventStore, limit: number, count: number): Promise<RecordedEvent[]> {
  for (const deadline = Date.now() + 30_000; ; ) {
    const all: RecordedEvent[] = [];
    let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
    for (;;) {
      const page = await store.readAll({ after, limit });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(limit);
      all.push(...page);
      after = page[page.length - 1]!;
    }
    // Another database's open transaction on a shared server can hold the horizon back.
    if (all.length >= count || Date.now() > deadline) return all;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Escapes and non-ASCII text in every text column readAll returns.
const ODD = ["tab\there", "new\nline", "back\\slash", 'quote"', "\u0001\u001f", "两不愁三保障", "\u{1F600}", "\\N", "\b\f\v"];

describe("readAll, each event made as its row arrives", () => {
  it("given events with odd texts, when paged through on a plain and on a pipelining pool, then both are what pg's own parsers read, field for field and in the same key order", async () => {
    const seed = storeOn(database.db);
    for (const [i, s] of ODD.entries()) {
      await seed.append(`odd-${i}`, [
        { type: `Odd${s}`, data: { s, [s]: [s, i, -0.5, 1e21, null, { nested: s }] }, metadata: { note: s, actor: "a" } },
        { type: "Plain", data: { i } },
      ]);
    }
    const count = 2 * ODD.length;
    const { rows } = await database.pool.query<{
      position: string;
      transaction_id: string;
      stream_id: string;
      revision: string;
      type: string;
      data: unknown;
      metadata: Record<string, unknown>;
      recorded_at: Date;
    }>("select position, transaction_id::text, stream_id, revision, type, data, metadata, recorded_at from events order by transaction_id, position");
    const expected = rows.map((r) => ({
      position: BigInt(r.position),
      transactionId: BigInt(r.transaction_id),
      streamId: r.stream_id,
      revision: Number(r.revision),
      type: r.type,
      data: r.data,
      metadata: r.metadata,
      recordedAt: r.recorded_at,
    }));
    expect(expected.length).toBe(count);
    for (const store of [storeOn(single), storeOn(piped)]) {
      // Pages of 3 put every kind of `after` (start, mid-transaction, a transaction's last event) in the statement.
      const events = await pages(store, 3, count);
      expect(events).toEqual(expected);
      for (const e of events) expect(Object.keys(e)).toEqual(Object.keys(expected[0]!));
    }
  });

  it("given a limit of 0, then no event; given one that is no integer, then PostgreSQL refuses it as before", async () => {
    const store = storeOn(single);
    expect(await store.readAll({ limit: 0 })).toEqual([]);
    await expect(store.readAll({ limit: 1.5 })).rejects.toThrow(/integer|bigint/);
    expect((await store.readAll({ limit: 1 })).length).toBeLessThanOrEqual(1);
  });

  it("given concurrent reads on one connection, then each gets its own rows", async () => {
    const store = storeOn(single);
    const limits = [1, 2, 3, 4, 5, 6, 7, 8];
    const reads = await Promise.all(limits.map((limit) => store.readAll({ limit })));
    const all = await store.readAll({ limit: 100 });
    expect(reads).toEqual(limits.map((limit) => all.slice(0, limit)));
  });
});

describe("streamedRows", () => {
  it("given a statement PostgreSQL fails, then it rejects with that error and the connection answers the next statement", async () => {
    await expect(streamedRows(single, "select 1/0", (f) => f)).rejects.toThrow(/division by zero/);
    expect(await streamedRows(single, "select 'after'", (f) => f[0])).toEqual(["after"]);
  });

  it("given a decode that throws on a row, then it rejects with that error once the answer is read, and the next statement gets only its own rows", async () => {
    const boom = new Error("cannot decode row 3");
    await expect(
      streamedRows(single, "select i::text from generate_series(1, 1000) i", (f) => {
        if (f[0] === "3") throw boom;
        return f[0];
      }),
    ).rejects.toBe(boom);
    expect(await streamedRows(single, "select 'x', null", (f) => [...f])).toEqual([["x", null]]);
  });

  it("given several statements, then their rows in order; given none, then no row", async () => {
    expect(await streamedRows(single, "select 1; select 2", (f) => f[0])).toEqual(["1", "2"]);
    expect(await streamedRows(single, "", (f) => f)).toEqual([]);
  });
});
