import { EventEmitter } from "node:events";
import {
  type AppendExpectedRevision,
  type EventData,
  type EventStoreDBClient,
  type Position,
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import { describe, expect, it } from "vitest";
import { runEventStoreContract } from "../contract/event-store-contract.js";
import { createEventStoreFromEnv, readEventStoreConfig } from "../event-store-from-env.js";
import { EventStoreDbEventStore } from "./eventstoredb-event-store.js";
import { fromCurrentRevision, toAppendExpectedRevision } from "./expected-revision.js";
import { isAfter, toCheckpoint, toPosition } from "./global-position.js";

interface StoredRecord {
  streamId: string;
  id: string;
  isJson: true;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position: Position;
}

/**
 * Just enough of EventStoreDB's client surface, with the server's semantics as the
 * adapter relies on them: `$all` reads start *at* a position, events of one append
 * share a commit position and have their own prepare positions, system events
 * interleave with ours, a missing stream fails the read. It checks the adapter's
 * mapping; only a real server (EVENTSTORE_URL or a container) checks the server.
 */
class SimulatedEsdbClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly subscribers = new Set<EventEmitter>();
  private nextPrepare = 0n;

  constructor() {
    // A fresh server's log starts with its own events: the adapter must skip them.
    this.write("$epoch-information", [{ type: "$epoch", data: {} }]);
  }

  /** A server-side write between ours, as the stats and scavenge streams make. */
  writeSystemEvents(count: number): void {
    for (let i = 0; i < count; i++) this.write(`$stats-127.0.0.1:2113`, [{ type: "$statsCollected", data: { i } }]);
  }

  async appendToStream(streamName: string, events: EventData[], options: { expectedRevision?: AppendExpectedRevision }) {
    await Promise.resolve();
    const stream = this.streams.get(streamName);
    const current = stream ? BigInt(stream.length - 1) : NO_STREAM;
    const expected = options.expectedRevision ?? ANY;
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      (typeof expected === "bigint" && current === expected);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    const written = this.write(
      streamName,
      events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })),
    );
    return { success: true, nextExpectedRevision: written.at(-1)!.revision, position: written.at(-1)!.position };
  }

  readStream(streamName: string, options: { direction?: string; fromRevision?: bigint | typeof START | typeof END; maxCount?: number | bigint } = {}) {
    const stream = this.streams.get(streamName);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return (async function* () {
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      const ordered = backwards ? [...stream].reverse() : stream;
      const selected = ordered.filter((e) =>
        typeof from !== "bigint" ? true : backwards ? e.revision <= from : e.revision >= from,
      );
      for (const event of selected.slice(0, max)) yield { event: { ...event } };
    })();
  }

  readAll(options: { fromPosition?: Position | typeof START | typeof END; maxCount?: number | bigint } = {}) {
    const from = options.fromPosition ?? START;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const log = this.log;
    return (async function* () {
      let n = 0;
      for (const event of log) {
        if (from === END) return;
        // Inclusive, as the server is: a read from an event's position returns that event first.
        if (from !== START && (event.position.commit < from.commit || (event.position.commit === from.commit && event.position.prepare < from.prepare))) continue;
        if (n++ >= max) return;
        yield { event: { ...event }, commitPosition: event.position.commit };
      }
    })();
  }

  subscribeToAll() {
    const subscription = new EventEmitter() as EventEmitter & { unsubscribe(): Promise<void> };
    subscription.unsubscribe = async () => {
      this.subscribers.delete(subscription);
      subscription.emit("close");
    };
    this.subscribers.add(subscription);
    setImmediate(() => subscription.emit("confirmation"));
    return subscription;
  }

  async dispose(): Promise<void> {}

  private write(streamId: string, events: Array<{ type: string; data: unknown; metadata?: unknown }>): StoredRecord[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const commit = this.nextPrepare;
    const written = events.map((e, i): StoredRecord => {
      const prepare = this.nextPrepare;
      // Positions are byte offsets in the log: sparse, and not 0, 1, 2.
      this.nextPrepare += 137n;
      return {
        streamId,
        id: crypto.randomUUID(),
        isJson: true,
        revision: BigInt(stream.length + i),
        type: e.type,
        created: new Date(),
        // Through JSON, as over the wire.
        data: JSON.parse(JSON.stringify(e.data)),
        metadata: e.metadata === undefined ? undefined : JSON.parse(JSON.stringify(e.metadata)),
        position: { commit, prepare },
      };
    }).map((record) => {
      stream.push(record);
      this.log.push(record);
      return record;
    });
    for (const subscriber of this.subscribers) for (const record of written) subscriber.emit("data", { event: record });
    return written;
  }
}

const asClient = (client: SimulatedEsdbClient) => client as unknown as EventStoreDBClient;

runEventStoreContract("eventstoredb adapter over a simulated client", async () => {
  const client = new SimulatedEsdbClient();
  return {
    makeStore: (options) => new EventStoreDbEventStore({ ...options, connection: asClient(client) }),
    teardown: async () => {},
  };
});

describe("eventstoredb adapter: mapping to the port", () => {
  it("maps the port's checkpoint to $all positions: transactionId = commit, position = prepare", () => {
    expect(toCheckpoint({ commit: 4096n, prepare: 4233n })).toEqual({ transactionId: 4096n, position: 4233n });
    expect(toPosition({ transactionId: 4096n, position: 4233n })).toEqual({ commit: 4096n, prepare: 4233n });
    expect(isAfter({ commit: 4096n, prepare: 4233n }, { transactionId: 4096n, position: 4096n })).toBe(true);
    expect(isAfter({ commit: 4096n, prepare: 4233n }, { transactionId: 4096n, position: 4233n })).toBe(false);
    expect(isAfter({ commit: 100n, prepare: 9000n }, { transactionId: 4096n, position: 0n })).toBe(false);
  });

  it("maps every expectedRevision form and the actual revision of a conflict", () => {
    expect(toAppendExpectedRevision("no_stream")).toBe(NO_STREAM);
    expect(toAppendExpectedRevision("stream_exists")).toBe(STREAM_EXISTS);
    expect(toAppendExpectedRevision("any")).toBe(ANY);
    expect(toAppendExpectedRevision(7)).toBe(7n);
    expect(fromCurrentRevision(NO_STREAM)).toBe(-1);
    expect(fromCurrentRevision(3n)).toBe(3);
  });

  it("readAll skips system events, even a page made only of them, and pages on", async () => {
    const client = new SimulatedEsdbClient();
    const store = new EventStoreDbEventStore({ connection: asClient(client) });
    await store.append("household-1", [{ type: "A", data: {} }]);
    client.writeSystemEvents(25);
    await store.append("household-2", [{ type: "B", data: {} }, { type: "C", data: {} }]);
    client.writeSystemEvents(3);
    const first = await store.readAll({ limit: 1 });
    expect(first.map((e) => e.type)).toEqual(["A"]);
    const rest = await store.readAll({ after: first[0]!, limit: 5 });
    expect(rest.map((e) => e.type)).toEqual(["B", "C"]);
    expect(rest[0]!.transactionId).toBe(rest[1]!.transactionId);
    expect(await store.readAll({ after: rest[1]!, limit: 5 })).toEqual([]);
  });

  it("waitForEvents returns at once when events are already there, and wakes on an append", async () => {
    const client = new SimulatedEsdbClient();
    const store = new EventStoreDbEventStore({ connection: asClient(client) });
    const start = { transactionId: 0n, position: 0n };
    const waited = store.waitForEvents(start, 5_000);
    setTimeout(() => void store.append("household-9", [{ type: "A", data: {} }]), 30);
    const t0 = Date.now();
    await waited;
    expect(Date.now() - t0).toBeLessThan(2_000);
    const t1 = Date.now();
    await store.waitForEvents(start, 5_000);
    expect(Date.now() - t1).toBeLessThan(500);
    await store.close();
  });
});

describe("createEventStoreFromEnv", () => {
  const deps = { db: {} as never, databaseUrl: "postgres://127.0.0.1:1/none" };

  it("defaults to PostgreSQL", () => {
    expect(readEventStoreConfig({})).toEqual({ EVENT_STORE: "postgres" });
  });

  it("chooses KurrentDB/EventStoreDB by EVENT_STORE and EVENTSTORE_URL", async () => {
    const store = createEventStoreFromEnv(deps, { EVENT_STORE: "eventstoredb", EVENTSTORE_URL: "esdb://127.0.0.1:1?tls=false" });
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    await store.close();
  });

  it("names each bad variable", () => {
    expect(() => readEventStoreConfig({ EVENT_STORE: "eventstoredb" })).toThrow(/EVENTSTORE_URL: is required when EVENT_STORE=eventstoredb/);
    expect(() => readEventStoreConfig({ EVENT_STORE: "mongo" })).toThrow(/EVENT_STORE/);
    expect(() => readEventStoreConfig({ EVENT_STORE: "eventstoredb", EVENTSTORE_URL: "http://x" })).toThrow(/esdb:\/\//);
  });
});
