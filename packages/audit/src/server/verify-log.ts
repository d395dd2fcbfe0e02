import type { EventStore, GlobalCheckpoint, RecordedEvent } from "@aidtrail/event-store";
import type { Kysely } from "kysely";
import { HASH_SIZE } from "../merkle-hash.js";
import { appendLeaves, EMPTY_EDGE, edgeRoot, type TileEdge } from "../tile-edge.js";
import { innerIndex } from "../tile-inner.js";
import { TILE_HEIGHT, TILE_WIDTH, type Tile, type TileId } from "../tile-store.js";
import { bytesEqual, toBase64 } from "../verify/bytes.js";
import { openCheckpoint } from "../verify/checkpoint.js";
import { readCheckpoints, readLeafPositions, readSealedSize, type StoredCheckpoint } from "./checkpoint-rows.js";
import { PostgresTileStore } from "./postgres-tile-store.js";
import { leafOf } from "./event-leaf.js";
import { TextRecordedEvent, textSource } from "./text-event-store.js";

/** Options of a full verification. */
export interface VerifyLogOptions {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  /** Verifier keys; every stored checkpoint must carry a valid signature by one of them. Empty: signatures are not checked. */
  readonly trustedKeys: readonly string[];
  readonly batchSize?: number;
  /** Called after each batch with the number of events replayed so far. */
  readonly onProgress?: (replayed: number) => void;
}

/** The first thing found wrong, named by global position where one can be named. */
export interface LogMismatch {
  readonly leafIndex: number | null;
  /** Position the sealed tree recorded for that leaf (what was there when it was sealed). */
  readonly position: bigint | null;
  /** Position the event store now has at that leaf, if any. */
  readonly replayedPosition: bigint | null;
  readonly reason: string;
}

/** Outcome of a full verification. */
export type LogVerification =
  | { readonly ok: true; readonly events: number; readonly sealedSize: number; readonly checkpoints: number }
  | { readonly ok: false; readonly events: number; readonly sealedSize: number; readonly checkpoints: number; readonly mismatch: LogMismatch };

/**
 * Replays the whole log from the event store, recomputes every leaf, every tile and
 * every root, and compares them with the stored tiles and every signed checkpoint.
 * Reports the first mismatch: a changed event (direct UPDATE), a removed one (DELETE)
 * or events in another order all change the leaf at the first affected position.
 */
export async function verifyLog(options: VerifyLogOptions): Promise<LogVerification> {
  const { db } = options;
  // A PostgreSQL log is read as text, as the sealer reads events without a stored leaf (the same
  // leaves, proven equal by tests): every leaf is recomputed from the data, which catches an UPDATE.
  const store = textSource(options.store);
  const batchSize = options.batchSize ?? 5_000;
  const sealedSize = await readSealedSize(db);
  const checkpoints = await allCheckpoints(db);
  const tiles = new PostgresTileStore(db);
  let replayed = 0;
  const fail = (mismatch: LogMismatch): LogVerification => ({ ok: false, events: replayed, sealedSize, checkpoints: checkpoints.length, mismatch });
  const noLeaf = (reason: string): LogMismatch => ({ leafIndex: null, position: null, replayedPosition: null, reason });

  for (const c of checkpoints) {
    const problem = await checkSignature(c, options.trustedKeys);
    if (problem) return fail(noLeaf(`checkpoint of size ${c.treeSize}: ${problem}`));
  }

  let edge: TileEdge = EMPTY_EDGE;
  let nextCheckpoint = 0;
  let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  for (;;) {
    const events = await store.readAll({ after, limit: batchSize });
    if (events.length === 0) break;
    after = events[events.length - 1]!;
    // Split at checkpoint sizes so each signed root is compared with the edge of exactly that size.
    let start = 0;
    while (start < events.length) {
      const boundary = checkpoints[nextCheckpoint]?.treeSize;
      const end = boundary !== undefined && boundary - edge.size < events.length - start ? start + (boundary - edge.size) : events.length;
      const chunk = events.slice(start, end);
      const leaves = chunk.map(leafOf);
      const storedProblem = compareStoredLeaves(edge.size, chunk, leaves);
      if (storedProblem) return fail(storedProblem);
      const leafProblem = await compareLeaves(db, tiles, edge.size, chunk, leaves, sealedSize);
      if (leafProblem) return fail(leafProblem);
      const appended = appendLeaves(edge, leaves);
      const tileProblem = await compareTiles(tiles, appended.tiles, sealedSize);
      if (tileProblem) return fail(noLeaf(tileProblem));
      edge = appended.edge;
      replayed += chunk.length;
      const checkpoint = checkpoints[nextCheckpoint];
      if (checkpoint !== undefined && checkpoint.treeSize === edge.size) {
        if (!bytesEqual(edgeRoot(edge), checkpoint.root)) {
          return fail(noLeaf(`the replayed tree of size ${edge.size} has root ${toBase64(edgeRoot(edge))}, the signed checkpoint ${toBase64(checkpoint.root)} (stored hashes were rewritten too)`));
        }
        nextCheckpoint++;
      }
      start = end;
    }
    options.onProgress?.(replayed);
  }

  if (replayed < sealedSize) {
    const positions = await readLeafPositions(db, replayed, 1);
    return fail({
      leafIndex: replayed,
      position: positions.get(replayed) ?? null,
      replayedPosition: null,
      reason: `the sealed tree has ${sealedSize} leaves but the log now has only ${replayed} events: the event sealed as leaf ${replayed} is gone`,
    });
  }
  const unreached = checkpoints[nextCheckpoint];
  if (unreached !== undefined) {
    return fail(noLeaf(`a checkpoint signs ${unreached.treeSize} leaves but the log has only ${replayed} events`));
  }
  return { ok: true, events: replayed, sealedSize, checkpoints: checkpoints.length };
}

async function allCheckpoints(db: Kysely<any>): Promise<StoredCheckpoint[]> {
  const all: StoredCheckpoint[] = [];
  for (;;) {
    const page = await readCheckpoints(db, { afterSize: all[all.length - 1]?.treeSize ?? 0, limit: 10_000 });
    all.push(...page);
    if (page.length < 10_000) return all;
  }
}

async function checkSignature(c: StoredCheckpoint, trustedKeys: readonly string[]): Promise<string | undefined> {
  if (trustedKeys.length === 0) return undefined;
  try {
    const opened = await openCheckpoint(c.note, trustedKeys);
    if (opened.size !== c.treeSize || !bytesEqual(opened.root, c.root)) return "the signed note does not match its row";
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Compares the leaves recomputed from the data with those stored as the events were appended
 * (what the sealer integrates unchecked): a stored leaf changed before sealing is sealed as is, so
 * the tiles agree with it and only this names the event.
 */
function compareStoredLeaves(first: number, events: readonly RecordedEvent[], leaves: readonly Uint8Array[]): LogMismatch | undefined {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const stored = event instanceof TextRecordedEvent ? event.storedLeaf : null;
    if (stored === null || bytesEqual(stored, leaves[i]!)) continue;
    return {
      leafIndex: first + i,
      position: event.position,
      replayedPosition: event.position,
      reason: `the leaf stored with the event at position ${event.position} (leaf ${first + i}) is not the hash of its data: the stored leaf or the event was changed`,
    };
  }
  return undefined;
}

/** Compares replayed leaf hashes with the stored level-0 tiles, leaf by leaf. */
async function compareLeaves(
  db: Kysely<any>,
  tiles: PostgresTileStore,
  first: number,
  events: readonly RecordedEvent[],
  leaves: readonly Uint8Array[],
  sealedSize: number,
): Promise<LogMismatch | undefined> {
  const count = Math.min(leaves.length, Math.max(0, sealedSize - first));
  if (count === 0) return undefined;
  const ids: TileId[] = [];
  for (let t = Math.floor(first / TILE_WIDTH); t <= Math.floor((first + count - 1) / TILE_WIDTH); t++) ids.push({ level: 0, index: t });
  const rows = await tiles.readTiles(ids);
  for (let i = 0; i < count; i++) {
    const leaf = first + i;
    const row = rows[Math.floor(leaf / TILE_WIDTH) - ids[0]!.index];
    const offset = (leaf % TILE_WIDTH) * HASH_SIZE;
    const stored = row?.subarray(offset, offset + HASH_SIZE);
    if (stored !== undefined && stored.length === HASH_SIZE && bytesEqual(stored, leaves[i]!)) continue;
    const sealedPosition = (await readLeafPositions(db, leaf, 1)).get(leaf) ?? null;
    const replayedPosition = events[i]!.position;
    const reason =
      stored === undefined || stored.length < HASH_SIZE
        ? `leaf ${leaf} is missing from the stored tiles`
        : sealedPosition === replayedPosition
          ? `the event at position ${replayedPosition} (leaf ${leaf}) no longer matches its sealed hash: its stored bytes were changed`
          : `leaf ${leaf} was sealed for position ${sealedPosition ?? "?"} but the log now has position ${replayedPosition} there: an event was removed or the order changed`;
    return { leafIndex: leaf, position: sealedPosition ?? replayedPosition, replayedPosition, reason };
  }
  return undefined;
}

/**
 * Compares replayed tiles with the stored ones, up to the sealed size: the rows of levels ≥ 1
 * (level 0 is compared leaf by leaf), and at every level the stored inner hashes that proofs
 * are served from, each node the stored width completes.
 */
async function compareTiles(tiles: PostgresTileStore, replayed: readonly Tile[], sealedSize: number): Promise<string | undefined> {
  const wanted = replayed
    .map((t) => {
      const storedCount = Math.floor(sealedSize / TILE_WIDTH ** t.level) - t.index * TILE_WIDTH;
      return { tile: t, width: Math.min(t.hashes.length / HASH_SIZE, storedCount) };
    })
    .filter((w) => w.width > 0);
  if (wanted.length === 0) return undefined;
  const stored = await tiles.readTilesWithInner(wanted.map((w) => w.tile));
  for (const [i, { tile, width }] of wanted.entries()) {
    const bytes = width * HASH_SIZE;
    const row = stored[i];
    const differs = `stored tile ${tile.level}/${tile.index} differs from the replayed log (the tree's hashes were changed)`;
    if (row === undefined || row.hashes.length < bytes) return differs;
    if (tile.level > 0 && !bytesEqual(row.hashes.subarray(0, bytes), tile.hashes.subarray(0, bytes))) return differs;
    // Tiles sealed before inner hashes were stored have none; proofs compute them from the row.
    if (row.inner !== null && tile.inner !== undefined && !innerHashesMatch(row.inner, tile.inner, width)) {
      return `the inner hashes of stored tile ${tile.level}/${tile.index} differ from the replayed log (the tree's hashes were changed)`;
    }
  }
  return undefined;
}

/** Whether two tiles' inner hashes agree on every node the first `width` row hashes complete. */
function innerHashesMatch(stored: Uint8Array, replayed: Uint8Array, width: number): boolean {
  for (let height = 1; height <= TILE_HEIGHT; height++) {
    const from = innerIndex(height, 0) * HASH_SIZE;
    const to = from + (width >> height) * HASH_SIZE;
    if (stored.length < to || !bytesEqual(stored.subarray(from, to), replayed.subarray(from, to))) return false;
  }
  return true;
}
