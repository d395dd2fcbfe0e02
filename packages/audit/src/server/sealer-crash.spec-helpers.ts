// A sealer process for the crash test: seals the database at argv[2] in batches of 300 (the leaf
// worker computing the leaves) and prints "batch" after each, until it is killed.
import { createDb, createPool } from "@aidtrail/db";
import { PostgresEventStore } from "@aidtrail/event-store";
import { Lease } from "@aidtrail/projections";
import { createSealerProjector } from "./sealer-projector.js";

export const CRASH_LEASE = "audit-crash-test";
export const CRASH_OWNER = "crash-test";

if (process.argv[1] === import.meta.filename) {
  const url = process.argv[2]!;
  const db = createDb(createPool(url));
  const store = new PostgresEventStore({ db, url });
  const lease = new Lease(CRASH_LEASE, CRASH_OWNER, 60_000);
  if (!(await lease.tryAcquire(db))) throw new Error("the crash test's lease is taken");
  const { projector } = createSealerProjector({ db, store, lease, batchSize: 300 });
  for (;;) {
    await projector.runOnce();
    process.stdout.write("batch\n");
  }
}
