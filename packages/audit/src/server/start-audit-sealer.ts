import { randomUUID } from "node:crypto";
import type { EventStore } from "@aidtrail/event-store";
import { Lease, type Projector, type ProjectorLog, runProjectorLoop } from "@aidtrail/projections";
import type { Kysely } from "kysely";
import { type AuditConfig, readAuditConfig } from "./audit-config.js";
import { type AuditKeys, loadAuditKeys } from "./audit-keys.js";
import { type CheckpointSigner, startCheckpointSigner } from "./checkpoint-signer.js";
import type { StoredCheckpoint } from "./checkpoint-rows.js";
import { createSealerProjector, DEFAULT_SEALER_BATCH } from "./sealer-projector.js";

/** Options of the sealer and signer run inside a process (`aidtrail start`, the projector service). */
export interface StartAuditSealerOptions {
  readonly db: Kysely<any>;
  readonly store: EventStore;
  /** Defaults to readAuditConfig(process.env). */
  readonly config?: AuditConfig;
  /** Defaults to loadAuditKeys(config), which creates the development key on first use. */
  readonly keys?: AuditKeys;
  readonly log?: ProjectorLog;
  /** Events per sealing transaction; default DEFAULT_SEALER_BATCH. */
  readonly batchSize?: number;
  /** Lease that makes one process the sealer; default "audit-sealer". */
  readonly leaseName?: string;
  readonly leaseTtlMs?: number;
}

/** The running sealer. */
export interface RunningAuditSealer {
  readonly keys: AuditKeys;
  readonly origin: string;
  readonly projector: Projector;
  /** Signs the sealed tree now if it grew (tests; before a planned stop). */
  signNow(): Promise<StoredCheckpoint | undefined>;
  stop(): Promise<void>;
}

/**
 * Seals the log (the `audit` projection, under its own lease so read models and the
 * audit log never hold each other back) and signs a checkpoint every few seconds.
 * Any number of processes may run it: only the lease holder seals, and a tree size is
 * signed once whichever process gets there first.
 */
export async function startAuditSealer(options: StartAuditSealerOptions): Promise<RunningAuditSealer> {
  const config = options.config ?? readAuditConfig();
  const keys = options.keys ?? (await loadAuditKeys(config, { create: true }));
  if (keys.signers.length === 0) throw new Error("the audit sealer needs a signer key (AIDTRAIL_AUDIT_SIGNER_KEYS or the development key)");
  const lease = new Lease(options.leaseName ?? "audit-sealer", `${process.pid}-${randomUUID()}`, options.leaseTtlMs ?? 15_000);
  const sealer = createSealerProjector({
    db: options.db,
    store: options.store,
    lease,
    batchSize: options.batchSize ?? DEFAULT_SEALER_BATCH,
    ...(options.log ? { log: options.log } : {}),
  });
  const { projector } = sealer;
  await projector.prepare();
  const controller = new AbortController();
  const loop = runProjectorLoop({
    db: options.db,
    projector,
    lease,
    signal: controller.signal,
    waitForEvents: (after, ms, signal) => options.store.waitForEvents(after, ms, signal),
    idleMs: 1_000,
    ...(options.log ? { log: options.log } : {}),
  });
  const signer: CheckpointSigner = startCheckpointSigner({
    db: options.db,
    origin: config.origin,
    signers: keys.signers,
    intervalMs: config.checkpointIntervalMs,
    everyLeaves: config.checkpointEveryLeaves,
    ...(options.log ? { log: options.log } : {}),
  });
  options.log?.info({ origin: config.origin, keys: keys.source, verifierKeys: keys.verifierKeys }, "audit sealer started");
  return {
    keys,
    origin: config.origin,
    projector,
    signNow: () => signer.signNow(),
    async stop() {
      controller.abort();
      await loop;
      await sealer.settle();
      // Sign what was sealed last, so a clean stop leaves nothing unsigned.
      await signer.signNow().catch(() => undefined);
      await signer.stop();
    },
  };
}
