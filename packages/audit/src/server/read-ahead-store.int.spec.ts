import { PostgresEventStore, type RecordedEvent, START } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appendEvents, readToEnd, readWhileAppending } from "./audit-log.spec-helpers.js";
import { ReadAheadStore } from "./read-ahead-store.js";

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

const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position.toString());


describe("reading ahead for the sealer", () => {
  it("given writers still appending, when batches are read ahead, then the log comes out whole, in order, each event once", async () => {
    const ahead = new ReadAheadStore(store);
    const writing = appendEvents(store, 400);
    // Reads race the writers: batches are read ahead while their transactions still commit.
    const { seen, after } = await readWhileAppending(ahead, 400, 7);
    await writing;
    expect(await ahead.readAll({ after, limit: 7 })).toEqual([]);
    await ahead.settle();
    expect(seen).toHaveLength(400);
    expect(positions(seen)).toEqual(positions(await readToEnd(store, 1000)));
  });

  it("given a batch read ahead, when the caller asks from elsewhere, then it gets a fresh read from there", async () => {
    const ahead = new ReadAheadStore(store);
    const first = await ahead.readAll({ after: START, limit: 10 });
    // The read-ahead now holds the batch after `first`; a caller whose batch rolled back asks for `first` again.
    expect(positions(await ahead.readAll({ after: START, limit: 10 }))).toEqual(positions(first));
    // Another limit from the same point is not the batch read ahead either.
    const next = await ahead.readAll({ after: first[9]!, limit: 3 });
    expect(positions(next)).toEqual(positions(await store.readAll({ after: first[9]!, limit: 3 })));
    await ahead.settle();
  });
});
