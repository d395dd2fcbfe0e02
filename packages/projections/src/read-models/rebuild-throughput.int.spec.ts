import { START } from "@aidtrail/event-store";
import { recordTownship } from "@aidtrail/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rebuildProjections } from "../runtime/rebuild.js";
import { allProjections } from "./index.js";
import { type ReadModelHarness, createHarness } from "./testing/scenario.js";
import { multiplyLog } from "./testing/multiply-log.js";

/**
 * A measurement, not an assertion on speed: rebuilds every read model from the cc township
 * recorded through the command handlers, multiplied to a large log. Opt in with
 * READ_MODEL_REBUILD_EVENTS=<events> (e.g. 250000); `pnpm bench replay` is the benchmark proper.
 */
const target = Number(process.env.READ_MODEL_REBUILD_EVENTS ?? 0);

let h: ReadModelHarness;
describe.runIf(target > 0)("rebuild throughput of all read models", () => {
  beforeAll(async () => {
    h = await createHarness(inject("pgAdminUrl"));
  }, 900_000);
  afterAll(async () => h?.close());

  it(`rebuilds ${target} events`, async () => {
    const report = await recordTownship(h.handlers, 20240630);
    expect(report.refused).toEqual([]);
    const township = await h.store.readAll({ after: START, limit: 10_000_000 });
    const copies = Math.max(0, Math.ceil(target / township.length) - 1);
    await multiplyLog(h.database.db, township, copies);
    const total = township.length * (copies + 1);
    const runs: number[] = [];
    const spent = new Map<string, number>();
    const timed = allProjections.map((p) => ({
      ...p,
      async applyBatch(trx: Parameters<typeof p.applyBatch>[0], events: Parameters<typeof p.applyBatch>[1]) {
        const t0 = performance.now();
        await p.applyBatch(trx, events);
        spent.set(p.name, (spent.get(p.name) ?? 0) + performance.now() - t0);
      },
    }));
    const store = {
      ...h.store,
      readAll: async (o: Parameters<typeof h.store.readAll>[0]) => {
        const t0 = performance.now();
        const out = await h.store.readAll(o);
        spent.set("readAll", (spent.get("readAll") ?? 0) + performance.now() - t0);
        return out;
      },
    } as typeof h.store;
    for (let run = 0; run < 2; run++) {
      spent.clear();
      const { applied, elapsedMs } = await rebuildProjections({ db: h.database.db, store, projections: timed, batchSize: 5_000 });
      console.log(`[read models] ms per part: ${JSON.stringify(Object.fromEntries([...spent].map(([k, v]) => [k, Math.round(v)])))} of ${Math.round(elapsedMs)}`);
      expect(applied).toBe(total);
      runs.push(Math.round(applied / (elapsedMs / 1000)));
    }
    console.log(`[read models] rebuild of ${allProjections.length} read models from ${total} events (township ${township.length} × ${copies + 1}): ${runs.join(", ")} events/s; peak RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  }, 1_800_000);
});
