import { PostgresEventStore } from "@aidtrail/event-store";
import { Lease } from "@aidtrail/projections";
import { sql } from "kysely";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { canonicalEventJson } from "../canonical-json.js";
import { leafHashOfText } from "../merkle-hash.js";
import { appendLeaves, EMPTY_EDGE, edgeRoot, loadTileEdge } from "../tile-edge.js";
import { canonicalize } from "../verify/canonical-json.js";
import { appendEvents, openSealedLog, readToEnd, type SealedLog, sealToEnd } from "./audit-log.spec-helpers.js";
import { PostgresTileStore } from "./postgres-tile-store.js";
import { createSealerProjector } from "./sealer-projector.js";
import { StoredLeafEvent, StoredLeafStore } from "./stored-leaf-store.js";
import { TextRecordedEvent } from "./text-event-store.js";
import { verifyLog } from "./verify-log.js";

let log: SealedLog | undefined;
let leafStore: PostgresEventStore | undefined;
afterEach(async () => {
  await leafStore?.close();
  await log?.close();
  leafStore = undefined;
  log = undefined;
});

/** A log whose events come from a store that stores leaves, one that does not, and the bulk COPY path, interleaved. */
async function mixedLog(): Promise<{ log: SealedLog; withLeaves: PostgresEventStore }> {
  log = await openSealedLog(inject("pgAdminUrl"));
  leafStore = new PostgresEventStore({ db: log.database.db, url: log.database.url, canonicalJson: canonicalize });
  for (let round = 0; round < 3; round++) {
    await appendEvents(leafStore, 400, 1000 * round);
    await appendEvents(log.store, 150, 1000 * round + 500);
    // 120 events in one append take the bulk COPY path, which stores no leaf.
    await leafStore.append(`bulk-${round}`, Array.from({ length: 120 }, (_, i) => ({ type: "Bulk", data: { i, round } })));
  }
  return { log, withLeaves: leafStore };
}

async function leafCounts(log: SealedLog) {
  const { rows } = await sql<{ stored: string; missing: string }>`
    select count(leaf)::text as stored, count(*) filter (where leaf is null)::text as missing from events`.execute(log.database.db);
  return { stored: Number(rows[0]!.stored), missing: Number(rows[0]!.missing) };
}

/** Overwrites one event's stored leaf past the immutability trigger, as an attacker with table rights could. */
async function forgeLeaf(log: SealedLog, position: bigint): Promise<void> {
  await log.database.db.transaction().execute(async (trx) => {
    await sql`alter table events disable trigger user`.execute(trx);
    await sql`update events set leaf = sha256('forged') where position = ${position.toString()}`.execute(trx);
    await sql`alter table events enable trigger user`.execute(trx);
  });
}

async function firstStoredLeafPosition(log: SealedLog): Promise<bigint> {
  const { rows } = await sql<{ position: string }>`select min(position)::text as position from events where leaf is not null`.execute(log.database.db);
  return BigInt(rows[0]!.position);
}

/** The root of the tree of every event's leaf computed from its objects, as if nothing were stored. */
async function rootComputedFromObjects(log: SealedLog): Promise<Uint8Array> {
  const events = await readToEnd(log.store, 1000);
  return edgeRoot(appendLeaves(EMPTY_EDGE, events.map((e) => leafHashOfText(canonicalEventJson(e)))).edge);
}

async function sealedRoot(log: SealedLog): Promise<Uint8Array> {
  const { rows } = await sql<{ size: string }>`select size::text from rm_audit.audit_tree`.execute(log.database.db);
  return edgeRoot(await loadTileEdge(new PostgresTileStore(log.database.db), Number(rows[0]!.size)));
}

describe("sealing stored leaves", () => {
  it("given a log mixing stored and missing leaves, when read for sealing, then batches mix stored-leaf events and text events, each event once in the store's order", async () => {
    const { log } = await mixedLog();
    const read = await readToEnd(new StoredLeafStore(log.store as PostgresEventStore), 333);
    const objects = await readToEnd(log.store, 1000);
    expect(read.map((e) => e.position)).toEqual(objects.map((e) => e.position));
    const { stored, missing } = await leafCounts(log);
    expect(read.filter((e) => e instanceof StoredLeafEvent)).toHaveLength(stored);
    expect(read.filter((e) => e instanceof TextRecordedEvent)).toHaveLength(missing);
    expect(stored).toBeGreaterThan(1000);
    expect(missing).toBeGreaterThan(700);
  });

  it("given a log mixing stored and missing leaves, when sealed (leaf worker on, batches of 300), then the tiles and root are those of every leaf computed from the data", async () => {
    const { log } = await mixedLog();
    const readLeaves = vi.spyOn(PostgresEventStore.prototype, "readAllLeaves");
    try {
      await log.seal(300);
      expect(readLeaves).toHaveBeenCalled();
    } finally {
      readLeaves.mockRestore();
    }
    expect(Buffer.from(await sealedRoot(log)).toString("hex")).toBe(Buffer.from(await rootComputedFromObjects(log)).toString("hex"));
    expect(await verifyLog({ db: log.database.db, store: log.store, trustedKeys: [] })).toMatchObject({ ok: true, sealedSize: 2010 });
  });

  it("given a stored leaf corrupted before sealing, when sealed and verified, then verification fails naming that event's position", async () => {
    const { log } = await mixedLog();
    const { rows } = await sql<{ position: string }>`
      select position::text from events where leaf is not null order by position offset 700 limit 1`.execute(log.database.db);
    const target = BigInt(rows[0]!.position);
    await forgeLeaf(log, target);
    await log.seal(300);
    const result = await verifyLog({ db: log.database.db, store: log.store, trustedKeys: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toMatchObject({ position: target, replayedPosition: target });
    expect(result.mismatch.reason).toContain(`the leaf stored with the event at position ${target}`);
  });

  it("given storedLeaves: false (the fallback the bench measures), when sealed over a corrupted stored leaf, then every leaf is computed from the data and the root is right", async () => {
    const { log } = await mixedLog();
    await forgeLeaf(log, await firstStoredLeafPosition(log));
    const lease = new Lease("audit-fallback-test", "test", 60_000);
    await lease.tryAcquire(log.database.db);
    const db = log.database.db;
    const { projector, settle } = createSealerProjector({ db, store: log.store, lease, batchSize: 300, storedLeaves: false });
    await sealToEnd(log.database, projector, settle);
    expect(Buffer.from(await sealedRoot(log)).toString("hex")).toBe(Buffer.from(await rootComputedFromObjects(log)).toString("hex"));
  });

  it("given a stored leaf corrupted after sealing, then verification names that event's position too", async () => {
    const { log } = await mixedLog();
    await log.seal(300);
    const { rows } = await sql<{ position: string }>`
      select position::text from events where leaf is not null order by position offset 5 limit 1`.execute(log.database.db);
    const target = BigInt(rows[0]!.position);
    await forgeLeaf(log, target);
    const result = await verifyLog({ db: log.database.db, store: log.store, trustedKeys: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.mismatch).toMatchObject({ position: target });
  });
});
