import { expect, it } from "vitest";
import { runFaultScenario } from "./fault-scenario.js";

/**
 * The short version of `pnpm test:reliability` (issue #9) inside `pnpm test`: 40 s of steady load
 * from four clients while the projector, PostgreSQL and the API are each taken away once, then
 * every end check. The suite starts and removes its own PostgreSQL, processes and folders.
 */
it("under load with faults nothing acknowledged is lost or doubled, and the log, read models and audit agree", async () => {
  const { figures, failures } = await runFaultScenario({
    seconds: 40,
    ratePerSecond: 12,
    clients: 4,
    pgDownSeconds: 4,
    log: (line) => console.log(`[reliability] ${line}`),
  });
  console.log(`RESULT ${JSON.stringify({ ...figures, ok: failures.length === 0 })}`);
  expect(failures).toEqual([]);
  expect(figures.lost).toBe(0);
  expect(figures.duplicates).toBe(0);
  expect(figures.statusesWhileDown["503"]).toBeGreaterThan(0);
}, 900_000);
