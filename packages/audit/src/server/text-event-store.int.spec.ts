import { PostgresEventStore, type RecordedEvent } from "@aidtrail/event-store";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { canonicalEventJson, canonicalEventJsonOfText } from "../canonical-json.js";
import { appendEvents, readToEnd, readWhileAppending } from "./audit-log.spec-helpers.js";
import { TextEventStore, TextRecordedEvent } from "./text-event-store.js";

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


describe("reading the log as text for the sealer", () => {
  it("given writers still appending, when the log is read as text, then it comes out whole, in the store's order, each event once", async () => {
    const text = new TextEventStore(store);
    const writing = appendEvents(store, 300);
    const { seen, after } = await readWhileAppending(text, 300, 7);
    await writing;
    expect(await text.readAll({ after, limit: 7 })).toEqual([]);
    const objects = await readToEnd(store, 1000);
    expect(seen.map((e) => `${e.transactionId}/${e.position}`)).toEqual(objects.map((e) => `${e.transactionId}/${e.position}`));
  });

  it("given the same events read as objects and as text, then every field is the same and so is every canonical text", async () => {
    const objects = await readToEnd(store, 50);
    const texts = await readToEnd(new TextEventStore(store), 50);
    expect(texts.length).toBe(objects.length);
    for (const [i, event] of objects.entries()) {
      const text = texts[i]!;
      expect(text).toBeInstanceOf(TextRecordedEvent);
      expect({ ...pick(text), data: text.data, metadata: text.metadata }).toEqual({ ...pick(event), data: event.data, metadata: event.metadata });
      expect(canonicalEventJsonOfText(text)).toBe(canonicalEventJson(event));
    }
  });
});

const pick = (e: RecordedEvent) => ({
  position: e.position,
  transactionId: e.transactionId,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  recordedAt: e.recordedAt,
});
