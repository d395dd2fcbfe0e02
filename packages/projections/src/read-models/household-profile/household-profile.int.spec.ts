import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ReadModelHarness, createHarness, project, recordStory } from "../testing/scenario.js";
import { householdProfileProjection } from "./projection.js";
import { householdProfile, householdsOfVillage } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
  await project(h, [householdProfileProjection]);
});
afterAll(async () => h?.close());

describe("household profile", () => {
  it("shows village, head, members with the national id masked, cause and registration", async () => {
    const p = await householdProfile(h.database.db, "h1");
    expect(p).toMatchObject({ householdId: "h1", villageId: "v1", headMemberId: "h1-p1", headName: "王伟", memberCount: 3, povertyCause: "illness", registeredOn: "2023-01-10" });
    for (const m of p?.members ?? []) expect(m.nationalIdMasked).toMatch(/^3201\*+\d{3}[0-9X]$/);
    // Never the sealed value, nor the clear one, anywhere in the table.
    const { rows } = await sql<{ t: string }>`select string_agg(p::text, '') as t from rm_household_profile.household_profile p`.execute(h.database.db);
    const raw = rows[0]?.t ?? "";
    expect(raw).not.toContain("sealed");
    expect(raw).not.toContain("blindIndex");
    expect(raw).not.toMatch(/320102198001010/);
  });

  it("applies member corrections and status changes with their effective date", async () => {
    const h1 = await householdProfile(h.database.db, "h1");
    expect(h1?.members.find((m) => m.memberId === "h1-p2")?.name).toBe("李娜娜");
    expect(h1).toMatchObject({ status: "enrolled", statusEffectiveOn: "2023-01-10" });
    const h2 = await householdProfile(h.database.db, "h2");
    expect(h2).toMatchObject({ status: "pre_exit", statusEffectiveOn: "2024-06-20", statusReason: "income above the line" });
  });

  it("lists a village's households and knows nothing of unregistered ones", async () => {
    expect((await householdsOfVillage(h.database.db, "v1")).map((p) => p.householdId)).toEqual(["h1", "h2"]);
    expect(await householdProfile(h.database.db, "nobody")).toBeNull();
  });
});
