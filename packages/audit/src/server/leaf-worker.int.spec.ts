import { type NewEvent, PostgresEventStore } from "@aidtrail/event-store";
import { Lease } from "@aidtrail/projections";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { canonicalEventJson } from "../canonical-json.js";
import { leafHashOfText } from "../merkle-hash.js";
import { canonicalize } from "../verify/canonical-json.js";
import { appendEvents, readToEnd, sealToEnd } from "./audit-log.spec-helpers.js";
import { readLeafPositions, readSealedSize } from "./checkpoint-rows.js";
import { leafOf } from "./event-leaf.js";
import { HashAheadStore, leavesOf, MIN_WORKER_BATCH } from "./hash-ahead-store.js";
import { randomJsonTexts } from "./json-texts.spec-helpers.js";
import { LeafWorker } from "./leaf-worker.js";
import { createSealerProjector } from "./sealer-projector.js";
import { TextEventStore } from "./text-event-store.js";
import { verifyLog } from "./verify-log.js";

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

const hex = (leaves: readonly Uint8Array[]) => leaves.map((l) => Buffer.from(l).toString("hex"));

/** Generated values canonicalize accepts, each as an event's data, in streams and types with odd characters. */
function oddEvents(count: number): NewEvent[] {
  const accepted = randomJsonTexts(count * 3, 7).filter((text) => {
    try {
      canonicalize(JSON.parse(text));
      return true;
    } catch {
      return false;
    }
  });
  return accepted.slice(0, count).map((text, i) => ({
    type: i % 2 === 0 ? "Odd\"Type" : "类型",
    data: JSON.parse(text),
    metadata: { n: i, note: i % 5 === 0 ? "back\\slash \u2028" : "中文" },
  }));
}

describe("the leaf worker", () => {
  it("given generated edge cases read as text, when the worker hashes the batch, then every leaf is the in-thread leaf and the object path's", async () => {
    const odd = oddEvents(600);
    for (let i = 0; i < odd.length; i += 100) await store.append(`odd-中-${i}`, odd.slice(i, i + 100));
    await appendEvents(store, 300);
    const texts = await readToEnd(new TextEventStore(store), 10_000);
    const objects = await readToEnd(store, 10_000);
    expect(texts.length).toBeGreaterThan(800);
    const worker = new LeafWorker();
    try {
      const fromWorker = await worker.leaves(texts);
      expect(fromWorker).toBeDefined();
      expect(hex(fromWorker!)).toEqual(hex(texts.map(leafOf)));
      expect(hex(fromWorker!)).toEqual(hex(objects.map((e) => leafHashOfText(canonicalEventJson(e)))));
    } finally {
      await worker.close();
    }
  });

  it("given a worker that dies on every second batch, when the log is sealed, then every event is sealed once, with the in-thread leaves", async () => {
    await appendEvents(store, 1500, 300);
    const crashes: unknown[] = [];
    const worker = new LeafWorker({ entry: new URL("./leaf-worker-crashing.spec-helpers.mjs", import.meta.url), onCrash: (e) => crashes.push(e) });
    const lease = new Lease("leaf-worker-test", "test", 60_000);
    await lease.tryAcquire(database.db);
    const { projector, settle } = createSealerProjector({ db: database.db, store, lease, batchSize: 300, leafWorker: worker });
    await sealToEnd(database, projector, settle);
    const events = await readToEnd(store, 10_000);
    expect(crashes.length).toBeGreaterThan(0);
    expect(await readSealedSize(database.db)).toBe(events.length);
    const sealed = await readLeafPositions(database.db, 0, events.length);
    expect([...sealed.values()].map(String)).toEqual(events.map((e) => e.position.toString()));
    // Every stored tile holds the leaves the verifier recomputes in its own thread.
    const verified = await verifyLog({ db: database.db, store, trustedKeys: [] });
    expect(verified).toMatchObject({ ok: true, events: events.length });
  });

  it("given a worker that cannot start, when batches are hashed, then each is left to the caller and no other worker is started", async () => {
    const crashes: unknown[] = [];
    const worker = new LeafWorker({ entry: new URL("./no-such-leaf-worker.mjs", import.meta.url), onCrash: (e) => crashes.push(e) });
    try {
      const events = (await readToEnd(new TextEventStore(store), 10_000)).slice(0, 10);
      for (let i = 0; i < 3; i++) expect(await worker.leaves(events)).toBeUndefined();
      expect(crashes).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });

  it("given a batch holding an event canonicalize refuses, when hashed ahead, then the worker gives no leaves and leavesOf throws the in-thread refusal", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 130; i++) deep = [deep];
    const { positions } = await store.append("deep-1", [{ type: "Deep", data: { deep } }]);
    const worker = new LeafWorker();
    try {
      const ahead = new HashAheadStore(new TextEventStore(store), worker);
      const after = { transactionId: 0n, position: 0n };
      const all = await readToEnd(new TextEventStore(store), 100_000);
      const at = all.findIndex((e) => e.position === positions[0]);
      const from = at >= MIN_WORKER_BATCH ? all[at - MIN_WORKER_BATCH]! : after;
      const batch = await ahead.readAll({ after: from, limit: MIN_WORKER_BATCH + 1 });
      expect(batch.some((e) => e.position === positions[0])).toBe(true);
      expect(await worker.leaves(batch as never)).toBeUndefined();
      await expect(leavesOf(batch)).rejects.toThrow(/nested deeper than 128/);
      expect(() => batch.map(leafOf)).toThrow(/nested deeper than 128/);
    } finally {
      await worker.close();
    }
  });
});
