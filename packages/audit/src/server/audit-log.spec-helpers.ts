import type { EventStore, GlobalCheckpoint, NewEvent, RecordedEvent } from "@aidtrail/event-store";
import { PostgresEventStore } from "@aidtrail/event-store";
import { Lease, type Projection, type Projector } from "@aidtrail/projections";
import { createTestDatabase, type TestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { generateNoteKey, type NoteSigner, noteSignerFromKey } from "../signed-note.js";
import { auditSealerProjection } from "./sealer-projection.js";
import { createSealerProjector } from "./sealer-projector.js";

export const ORIGIN = "aidtrail.test/audit";

/** A fresh database with an event store, a sealer and one signing key. */
export interface SealedLog {
  database: TestDatabase;
  store: EventStore;
  signer: NoteSigner;
  verifierKey: string;
  /** The sealer projection instance (with its cached tree edge) that `seal` runs. */
  projection: Projection;
  /** Seals everything appended so far (small batches, to cross tile edges mid-batch). */
  seal(batchSize?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openSealedLog(adminUrl: string): Promise<SealedLog> {
  const database = await createTestDatabase(adminUrl);
  const store = new PostgresEventStore({ db: database.db, url: database.url });
  const key = generateNoteKey(ORIGIN);
  const lease = new Lease("audit-test", "test", 60_000);
  await lease.tryAcquire(database.db);
  const projection = auditSealerProjection();
  return {
    database,
    store,
    signer: noteSignerFromKey(key.signerKey),
    verifierKey: key.verifierKey,
    projection,
    async seal(batchSize = 97) {
      // The projector `aidtrail start` runs, reading ahead, so every suite here seals as production does.
      const { projector, settle } = createSealerProjector({ db: database.db, store, lease, batchSize, projection });
      await sealToEnd(database, projector, settle);
    },
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** Runs a sealer projector until every stored event is sealed, then settles it. */
export async function sealToEnd(database: TestDatabase, projector: Projector, settle: () => Promise<void>): Promise<void> {
  try {
    // On a shared server another database's open transaction can hold the snapshot horizon
    // behind our own commits for a moment: "caught up" then comes early, so drain until the
    // horizon has passed every event.
    for (const giveUp = Date.now() + 60_000; ; ) {
      const horizonPassed = await allBelowHorizon(database);
      if ((await projector.runOnce()).caughtUp && horizonPassed) return;
      if (Date.now() > giveUp) throw new Error("events stayed behind the snapshot horizon for 60 s");
      if (!horizonPassed) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await settle();
  }
}

/** Appends `count` events over a few households and disbursements (ids `d0`, `d1`, …). */
export async function appendEvents(store: EventStore, count: number, from = 0): Promise<void> {
  const appends: Promise<unknown>[] = [];
  for (let i = from; i < from + count; i++) {
    const event: NewEvent =
      i % 3 === 0
        ? { type: "DisbursementRecorded", data: { disbursementId: `d${i}`, householdId: `h${i % 11}`, amountFen: 60_000 + i, memo: "助学金" } }
        : { type: "HouseholdNoted", data: { householdId: `h${i % 11}`, n: i, nested: { b: [1, 2.5, null], a: true } } };
    const stream = i % 3 === 0 ? `disbursement-d${i}` : `household-h${i}`;
    appends.push(store.append(stream, [{ ...event, metadata: { actor: "officer-1", role: "officer", requestId: `r${i}` } }]));
    // Bounded concurrency: several transactions interleave, as in production.
    if (appends.length === 16) await Promise.all(appends.splice(0));
  }
  await Promise.all(appends);
}

/** Every event a reader returns, page by page from the start. */
export async function readToEnd<E extends RecordedEvent>(
  reader: { readAll(options: { after: GlobalCheckpoint; limit: number }): Promise<E[]> },
  limit: number,
): Promise<E[]> {
  const all: E[] = [];
  let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  for (;;) {
    const page = await reader.readAll({ after, limit });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1]!;
  }
}

/** Whether every stored event is below the snapshot horizon, so readAll returns them all. */
async function allBelowHorizon(database: TestDatabase): Promise<boolean> {
  const { rows } = await sql<{ behind: boolean }>`
    select exists (select 1 from events where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) as behind`.execute(database.db);
  return rows[0]?.behind === false;
}

/**
 * Reads pages of `limit` until `count` events have come, while writers may still be appending:
 * a skipped event never arrives (the test times out); a doubled one shows in the caller's comparison.
 * Returns what was seen and the checkpoint after it.
 */
export async function readWhileAppending<E extends RecordedEvent>(
  reader: { readAll(options: { after: GlobalCheckpoint; limit: number }): Promise<E[]> },
  count: number,
  limit: number,
): Promise<{ seen: E[]; after: GlobalCheckpoint }> {
  const seen: E[] = [];
  let after: GlobalCheckpoint = { transactionId: 0n, position: 0n };
  while (seen.length < count) {
    const page = await reader.readAll({ after, limit });
    seen.push(...page);
    after = page[page.length - 1] ?? after;
    if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { seen, after };
}
