import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, project, recordStory } from "../testing/scenario.js";
import { programBudgetsProjection } from "./projection.js";
import { programBudget, programBudgets } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [programBudgetsProjection], 3);
});
afterAll(async () => h?.close());

/** The budget as the program stream itself says: allocated − active reservations. */
async function fromStream(programId: string) {
  const events = await h.store.readStream(`program-${programId}`);
  const held = new Map<string, number>();
  let allocated = 0;
  for (const e of events) {
    const d = e.data as { amountFen?: number; disbursementId?: string };
    if (e.type === "AllocationAdded") allocated += d.amountFen ?? 0;
    if (e.type === "FundsReserved") held.set(d.disbursementId ?? "", d.amountFen ?? 0);
    if (e.type === "ReservationReleased") held.delete(d.disbursementId ?? "");
  }
  const reserved = [...held.values()].reduce((a, b) => a + b, 0);
  return { allocatedFen: allocated, reservedFen: reserved, remainingFen: allocated - reserved };
}

describe("program budgets", () => {
  it("allocated, reserved, disbursed, reversed and remaining = allocated − active reservations", async () => {
    const dibao = await programBudget(h.database.db, "dibao");
    expect(dibao).toMatchObject({
      name: "program dibao",
      kind: "dibao",
      allocatedFen: 5_000_000,
      paidFen: 285_000,
      reversedFen: 95_000,
      disbursedFen: 190_000,
      // The reversal released its reservation.
      reservedFen: 190_000,
      heldFen: 0,
      remainingFen: 4_810_000,
      payments: 3,
      reversals: 1,
    });
    expect(dibao).toMatchObject(await fromStream("dibao"));
  });

  it("an approved payment is disbursed, a rejected one releases its reservation", async () => {
    const grant = await programBudget(h.database.db, "grant");
    expect(grant).toMatchObject({ allocatedFen: 2_000_000, reservedFen: 550_000, disbursedFen: 550_000, pendingFen: 0, remainingFen: 1_450_000 });
    expect(grant).toMatchObject(await fromStream("grant"));
  });

  it("a pending payment is reserved and held, not disbursed", async () => {
    await h.handlers.recordDisbursement(
      { disbursementId: "g-h3", householdId: "h3", programId: "grant", period: "once", amountFen: 510_000, paidOn: "2024-06-15", channel: "one_card", reference: "r" },
      { actor: { id: "officer-1", roles: ["officer"] }, requestId: "bud-1", now: "2024-06-30T09:00:00.000Z" },
    );
    await project(h, [programBudgetsProjection], 3);
    const grant = await programBudget(h.database.db, "grant");
    expect(grant).toMatchObject({ reservedFen: 1_060_000, disbursedFen: 550_000, pendingFen: 510_000, heldFen: 510_000, remainingFen: 940_000 });
    expect(grant).toMatchObject(await fromStream("grant"));
    for (const b of await programBudgets(h.database.db)) expect(b, b.programId).toMatchObject(await fromStream(b.programId));
  });
});
