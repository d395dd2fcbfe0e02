import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, project, recordStory } from "../testing/scenario.js";
import { householdFileProjection } from "./projection.js";
import { balancesAsOf, householdFile } from "./queries.js";

let h: ReadModelHarness;
let story: Awaited<ReturnType<typeof recordStory>>;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  story = await recordStory(h);
  await project(h, [householdFileProjection], 5);
});
afterAll(async () => h?.close());

describe("household file (一户一档)", () => {
  it("holds every event about the household in global order, with positions, disbursements linked by their request", async () => {
    const file = await householdFile(h.database.db, "h1");
    expect(file.map((e) => e.type)).toEqual([
      "HouseholdRegistered",
      "DisbursementInitiated", "DisbursementRecorded", // dibao Jan
      "DisbursementInitiated", "DisbursementRecorded", // dibao Feb
      "DisbursementInitiated", "DisbursementRecorded", // education
      "DisbursementInitiated", "DisbursementRecorded", // grant, pending
      "DisbursementApproved",
      "DisbursementReversed", // dibao Feb
      "MemberCorrected",
    ]);
    const ordered = [...file].sort((a, b) => (BigInt(a.transactionId) === BigInt(b.transactionId) ? Number(a.position - b.position) : Number(BigInt(a.transactionId) - BigInt(b.transactionId))));
    expect(ordered).toEqual(file);
    expect(file[0]?.summary).toMatchObject({ villageId: "v1", members: 3 });
    const reversed = file.find((e) => e.type === "DisbursementReversed");
    expect(reversed).toMatchObject({ disbursementId: "d-h1-feb", programId: "dibao", amountFen: 95_000, position: story.reversalPosition, actor: "officer-1" });
    expect(reversed?.summary).toEqual({ by: "officer-1", reason: "paid twice by the bank" });
    // Budget and slot bookkeeping is not part of the household's file.
    expect(file.some((e) => e.type === "FundsReserved" || e.type === "SlotClaimed")).toBe(false);
  });

  it("links stakes, loans and their payments to the household", async () => {
    const types = (await householdFile(h.database.db, "h3")).map((e) => e.type);
    expect(types).toContain("StakeRecorded");
    expect(types).toContain("LoanRecorded");
    expect(types.filter((t) => t === "DisbursementRecorded")).toHaveLength(3);
  });

  it("as of a position shows only events at or before it in global order", async () => {
    const asOf = await householdFile(h.database.db, "h1", { asOf: { position: story.dibaoFebPosition } });
    expect(asOf.map((e) => e.type)).toEqual(["HouseholdRegistered", "DisbursementInitiated", "DisbursementRecorded", "DisbursementInitiated", "DisbursementRecorded"]);
    expect(asOf.at(-1)?.position).toBe(story.dibaoFebPosition);
    // A position of another stream's event still cuts the file at its place in the global order.
    const beforeApproval = await householdFile(h.database.db, "h1", { asOf: { position: story.approvedPosition - 1n } });
    expect(beforeApproval.some((e) => e.type === "DisbursementApproved")).toBe(false);
    expect(await householdFile(h.database.db, "h1", { asOf: { position: 0n } })).toEqual([]);
  });

  it("as of a time shows the events recorded at or before it", async () => {
    const file = await householdFile(h.database.db, "h1");
    const { rows } = await sql<{ recorded_at: Date }>`select recorded_at from events where position = ${story.reversalPosition.toString()}::bigint`.execute(h.database.db);
    const reversalAt = rows[0]!.recorded_at;
    const atReversal = await householdFile(h.database.db, "h1", { asOf: { time: reversalAt } });
    expect(atReversal.at(-1)?.type).toBe("DisbursementReversed");
    expect(atReversal.every((e) => e.recordedAt.getTime() <= reversalAt.getTime())).toBe(true);
    const justBefore = await householdFile(h.database.db, "h1", { asOf: { time: new Date(file[0]!.recordedAt.getTime() - 1) } });
    expect(justBefore).toEqual([]);
  });

  it("balances as of a position before and after a reversal", async () => {
    const before = await balancesAsOf(h.database.db, "h1", { position: story.reversalPosition - 1n });
    expect(before.find((b) => b.programId === "dibao")).toEqual({ programId: "dibao", paidFen: 190_000, reversedFen: 0, netFen: 190_000, pendingFen: 0, payments: 2, reversals: 0 });
    const after = await balancesAsOf(h.database.db, "h1", { position: story.reversalPosition });
    expect(after.find((b) => b.programId === "dibao")).toEqual({ programId: "dibao", paidFen: 190_000, reversedFen: 95_000, netFen: 95_000, pendingFen: 0, payments: 2, reversals: 1 });
    // The grant was pending until approved.
    const pending = await balancesAsOf(h.database.db, "h1", { position: story.approvedPosition - 1n });
    expect(pending.find((b) => b.programId === "grant")).toMatchObject({ paidFen: 0, pendingFen: 550_000 });
    expect((await balancesAsOf(h.database.db, "h1")).find((b) => b.programId === "grant")).toMatchObject({ paidFen: 550_000, pendingFen: 0, payments: 1 });
    // A rejected payment never counts.
    expect((await balancesAsOf(h.database.db, "h2")).find((b) => b.programId === "grant")).toMatchObject({ paidFen: 0, pendingFen: 0, payments: 0 });
  });
});
