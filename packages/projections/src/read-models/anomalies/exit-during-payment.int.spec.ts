import { createCommandHandlers, createInMemoryPiiVault } from "@aidtrail/commands";
import type { EventStore } from "@aidtrail/event-store";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, defineProgram, officer, project, register, rules } from "../testing/scenario.js";
import { anomaliesProjection } from "./projection.js";
import { anomalies } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
});
afterAll(async () => h?.close());

/**
 * The store as a process on EventStoreDB/KurrentDB sees it (no appendMany), with another
 * process's exit landing just before the saga reserves: the one race the saga cannot prevent
 * there (packages/commands README, "Steps 4 and 5 check what step 2 read").
 */
function exitBeforeReserving(store: EventStore, exit: () => Promise<unknown>): EventStore {
  let exited = false;
  return {
    async append(streamId, events, options) {
      if (!exited && events.some((e) => e.type === "FundsReserved")) {
        exited = true;
        await exit();
      }
      return store.append(streamId, events, options);
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    waitForEvents: (after, timeoutMs, signal) => store.waitForEvents(after, timeoutMs, signal),
    close: async () => {},
  };
}

it("a payment the saga records after an exit its assessment did not see (a store without appendMany) is an open ineligible_household anomaly", async () => {
  await defineProgram(h, "grant", rules.grant, 1_000_000);
  await register(h, "x1", "v1", 1);
  await h.handlers.changeHouseholdStatus({ householdId: "x1", to: "pre_exit", reason: "income above the line", effectiveOn: "2024-05-01" }, officer());
  const exit = () => h.handlers.changeHouseholdStatus({ householdId: "x1", to: "exited", reason: "exit verified", effectiveOn: "2024-06-01" }, officer());
  const paying = createCommandHandlers({ store: exitBeforeReserving(h.store, exit), vault: createInMemoryPiiVault({ masterKey: Buffer.alloc(32, 1), indexKey: Buffer.alloc(32, 2) }) });
  const body = { disbursementId: "x1-d1", householdId: "x1", programId: "grant", period: "once", amountFen: 100_000, paidOn: "2024-06-15", channel: "one_card", reference: "ref-x1-d1" };
  expect(await paying.recordDisbursement(body, officer())).toMatchObject({ outcome: "recorded" });
  await project(h, [anomaliesProjection]);
  const found = await anomalies(h.database.db, { asOf: "2024-06-30", unverifiedAfterDays: 90, rule: "ineligible_household" });
  expect(found).toEqual([expect.objectContaining({ rule: "ineligible_household", disbursementId: "x1-d1", householdId: "x1" })]);
});
