import type { Kysely } from "kysely";
import { signCheckpoint } from "../checkpoint.js";
import type { NoteSigner } from "../signed-note.js";
import { TileHashReader } from "../tile-hash-reader.js";
import { treeRoot } from "../proofs.js";
import { insertCheckpoint, readLatestCheckpoint, readSealedSize, type StoredCheckpoint } from "./checkpoint-rows.js";
import { PostgresTileStore } from "./postgres-tile-store.js";

/** What the signer needs: the log's origin and every key that signs (several during a rotation). */
export interface CheckpointSignerOptions {
  readonly db: Kysely<any>;
  readonly origin: string;
  readonly signers: readonly NoteSigner[];
  /** Sign at least this often while leaves arrive (ms); default 2000. */
  readonly intervalMs?: number;
  /** Sign early once this many leaves are unsigned; default 100,000. */
  readonly everyLeaves?: number;
  readonly log?: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * Signs the sealed tree if it has grown past the latest checkpoint; returns the new
 * checkpoint, or undefined if there was nothing new (or another process signed it).
 * The root comes from the stored tiles, which only grow, so it is the root of exactly
 * the size read.
 */
export async function signSealedTree(
  db: Kysely<any>,
  origin: string,
  signers: readonly NoteSigner[],
  reader: TileHashReader = new TileHashReader(new PostgresTileStore(db)),
): Promise<StoredCheckpoint | undefined> {
  const size = await readSealedSize(db);
  const latest = await readLatestCheckpoint(db);
  if (size === 0 || (latest !== undefined && latest.treeSize >= size)) return undefined;
  const root = await treeRoot(reader, size);
  const note = signCheckpoint({ origin, size, root }, signers);
  if (!(await insertCheckpoint(db, { treeSize: size, root, note }))) return undefined;
  return { treeSize: size, root, note, signedAt: new Date() };
}

/** A running signer loop. */
export interface CheckpointSigner {
  /** Signs now if there is anything new (tests, shutdown). */
  signNow(): Promise<StoredCheckpoint | undefined>;
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint every `intervalMs` while leaves arrive, or sooner once
 * `everyLeaves` are unsigned. Outside the projection on purpose: the sealer must stay
 * deterministic, and a signature carries a clock and a key.
 */
export function startCheckpointSigner(options: CheckpointSignerOptions): CheckpointSigner {
  const { db, origin, signers } = options;
  if (signers.length === 0) throw new TypeError("the checkpoint signer needs at least one key");
  const intervalMs = options.intervalMs ?? 2_000;
  const everyLeaves = options.everyLeaves ?? 100_000;
  const reader = new TileHashReader(new PostgresTileStore(db));
  // Polls a few times per interval so that `everyLeaves` can trigger between intervals.
  const pollMs = Math.max(25, Math.min(250, Math.floor(intervalMs / 4)));
  let lastSigned = performance.now();
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const sign = async () => {
    const checkpoint = await signSealedTree(db, origin, signers, reader);
    if (checkpoint) {
      lastSigned = performance.now();
      options.log?.info({ treeSize: checkpoint.treeSize }, "audit checkpoint signed");
    }
    return checkpoint;
  };
  const tick = async () => {
    try {
      const due = performance.now() - lastSigned >= intervalMs;
      if (due) {
        await sign();
        // Even with nothing new, the next check is an interval away.
        lastSigned = performance.now();
      } else {
        const size = await readSealedSize(db);
        const latest = (await readLatestCheckpoint(db))?.treeSize ?? 0;
        if (size - latest >= everyLeaves) await sign();
      }
    } catch (error) {
      options.log?.error({ err: error }, "audit checkpoint signing failed; will retry");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, pollMs);
    timer.unref?.();
  };
  schedule();

  return {
    signNow: () => {
      const next = running.then(sign);
      running = next.catch(() => undefined);
      return next;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
