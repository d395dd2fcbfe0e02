import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { householdFile } from "../household-file/queries.js";
import { householdFileProjection } from "../household-file/projection.js";
import { type ReadModelHarness, createHarness, inspector, project, recordStory } from "../testing/scenario.js";
import { disbursementsProjection } from "./projection.js";
import { disbursementById } from "./queries.js";

let h: ReadModelHarness;
beforeAll(async () => {
  h = await createHarness(inject("pgAdminUrl"));
  await recordStory(h);
});
afterAll(async () => h?.close());

const visit = (verificationId: string, disbursementId: string, outcome: string, extra: object = {}) =>
  h.handlers.recordVerification({ verificationId, disbursementId, outcome, visitedOn: "2024-07-02", method: "home_visit", note: "visited the head", ...extra }, inspector());

describe("verifications on the disbursements read model", () => {
  it("not_received opens a case the payment shows until a received follow-up closes it", async () => {
    const first = await visit("v-1", "d-h1-jan", "not_received");
    expect(first.streamId).toBe("verification-d-h1-jan");
    expect(first.events.map((e) => e.type)).toEqual(["VerificationRecorded", "CaseOpened"]);
    await project(h, [disbursementsProjection, householdFileProjection], 3);
    expect((await disbursementById(h.database.db, "d-h1-jan"))?.verification).toEqual({
      count: 1,
      lastOutcome: "not_received",
      lastVisitedOn: "2024-07-02",
      lastPosition: BigInt(first.events[0]!.position),
      openCase: { caseId: "v-1", openedPosition: BigInt(first.events[1]!.position) },
    });

    const followUp = await visit("v-2", "d-h1-jan", "received", { visitedOn: "2024-07-20", method: "bank_statement" });
    expect(followUp.events.map((e) => e.type)).toEqual(["VerificationRecorded", "CaseClosed"]);
    expect((await visit("v-2", "d-h1-jan", "received", { visitedOn: "2024-07-20", method: "bank_statement" })).events).toEqual([]);
    await project(h, [disbursementsProjection, householdFileProjection]);
    expect((await disbursementById(h.database.db, "d-h1-jan"))?.verification).toMatchObject({ count: 2, lastOutcome: "received", lastVisitedOn: "2024-07-20", openCase: null });

    // 一户一档: the findings and the case are in the household's file, in order.
    const file = await householdFile(h.database.db, "h1");
    expect(file.filter((e) => ["VerificationRecorded", "CaseOpened", "CaseClosed"].includes(e.type)).map((e) => e.type)).toEqual([
      "VerificationRecorded",
      "CaseOpened",
      "VerificationRecorded",
      "CaseClosed",
    ]);
  });

  it("amount_differs keeps the observed amount; an unpaid (rejected) payment cannot be verified", async () => {
    const r = await visit("v-3", "e-h2-p3", "amount_differs", { observedAmountFen: 30_000 });
    expect(r.events.map((e) => e.type)).toEqual(["VerificationRecorded", "CaseOpened"]);
    await expect(visit("v-4", "g-h2", "received")).rejects.toMatchObject({ code: "not_verifiable" });
    await expect(visit("v-5", "nope", "received")).rejects.toMatchObject({ code: "disbursement_not_found" });
    await project(h, [disbursementsProjection]);
    expect((await disbursementById(h.database.db, "e-h2-p3"))?.verification.openCase?.caseId).toBe("v-3");
    expect((await disbursementById(h.database.db, "g-h2"))?.verification.count).toBe(0);
  });
});
