import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase, recordTownship } from "@aidtrail/testing";
import { expect, inject, it } from "vitest";
import { createCommandHandlers } from "./command-handlers.js";
import { createPostgresPiiVault } from "./pii/pii-vault.js";
import { testPiiKeys } from "./testing/command-fixtures.js";
import { allEvents } from "./testing/event-queries.js";

const SEED = 20240630;

it("the whole cc township is recorded through the command handlers on PostgreSQL with zero refused commands and the report's totals", async () => {
  const database = await createTestDatabase(inject("pgAdminUrl"));
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  try {
    const handlers = createCommandHandlers({ store, vault: createPostgresPiiVault(database.db, testPiiKeys) });
    const report = await recordTownship(handlers, SEED, { log: (line) => console.log(`[township] ${line}`) });
    expect(report.refused).toEqual([]);

    const events = await allEvents(store);
    const perSecond = Math.round(events.length / (report.ms / 1000));
    console.log(
      `[township] seed ${SEED}: ${report.commands} commands, ${events.length} events in ${(report.ms / 1000).toFixed(1)} s = ${perSecond} events/s (${report.pendingApproval} pending approval, approved)`,
    );

    // Totals per program, from the events alone.
    const recorded = new Map<string, { payments: number; totalFen: number; households: Set<string> }>();
    for (const e of events.filter((x) => x.type === "DisbursementRecorded")) {
      const d = e.data as { programId: string; amountFen: number; householdId: string };
      const t = recorded.get(d.programId) ?? { payments: 0, totalFen: 0, households: new Set<string>() };
      t.payments++;
      t.totalFen += d.amountFen;
      t.households.add(d.householdId);
      recorded.set(d.programId, t);
    }
    const yuan = (programId: string) => (recorded.get(programId)?.totalFen ?? 0) / 100;
    expect(recorded.get("cc-household-project")?.payments).toBe(183);
    expect(yuan("cc-household-project")).toBe(999_200);
    expect(recorded.get("cc-equity-dividend")?.payments).toBe(28);
    expect(yuan("cc-equity-dividend")).toBe(28 * 600);
    expect(recorded.get("cc-loan-dividend")?.payments).toBe(473);
    expect(yuan("cc-loan-dividend")).toBe(473 * 3_500);
    expect(recorded.get("cc-loan-subsidy")?.payments).toBe(497);
    expect(recorded.get("cc-education")?.payments).toBe(490);
    expect(recorded.get("cc-education")?.households.size).toBe(366);
    expect(yuan("cc-education")).toBe(489_700);
    expect(recorded.get("cc-housing")?.payments).toBe(117);
    expect(yuan("cc-housing")).toBe(1_709_300);
    expect(recorded.get("cc-solar")?.households.size).toBe(55);
    expect(yuan("cc-solar")).toBe(36_000);
    expect(recorded.get("cc-medical")?.payments).toBe(873);
    expect(recorded.get("cc-dibao")?.households.size).toBe(481);
    expect(recorded.get("cc-employment")?.payments).toBe(251);
    for (const [programId, expected] of Object.entries(report.plan.expected)) {
      expect(recorded.get(programId)?.totalFen, programId).toBe(expected.totalFen);
    }
    expect(events.filter((e) => e.type === "DisbursementApproved")).toHaveLength(report.pendingApproval);

    const stakes = events.filter((e) => e.type === "StakeRecorded").map((e) => e.data as { investedFen: number });
    expect(stakes.reduce((s, x) => s + x.investedFen, 0) / 100).toBe(278_000);
    const loans = events.filter((e) => e.type === "LoanRecorded").map((e) => e.data as { principalFen: number; use: string });
    expect(loans.filter((l) => l.use === "enterprise")).toHaveLength(473);
    expect(loans.reduce((s, x) => s + x.principalFen, 0) / 100).toBe(24_680_000);
    const registered = events.filter((e) => e.type === "HouseholdRegistered").map((e) => e.data as { members: unknown[] });
    expect(registered).toHaveLength(1091);
    expect(registered.reduce((s, h) => s + h.members.length, 0)).toBe(3125);
    // Every allocation is spent to the fen: the budget invariant held at scale.
    const reserved = events.filter((e) => e.type === "FundsReserved").reduce((s, e) => s + (e.data as { amountFen: number }).amountFen, 0);
    const allocated = events.filter((e) => e.type === "AllocationAdded").reduce((s, e) => s + (e.data as { amountFen: number }).amountFen, 0);
    expect(reserved).toBe(allocated);
  } finally {
    await store.close();
    await database.drop();
  }
}, 600_000);
