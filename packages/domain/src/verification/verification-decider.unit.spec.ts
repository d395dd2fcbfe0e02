import { describe, expect, it } from "vitest";
import { AlreadyExists, DisbursementNotFound, NotVerifiable, RoleRequired, VerificationInvalid } from "../shared/errors.js";
import { deciderSpec } from "../testing/given-when-then.js";
import type { VerificationRequest, VerifiedPayment } from "./verification-commands.js";
import { verificationDecider } from "./verification-decider.js";
import type { VerificationEvent, VerificationRecorded } from "./verification-events.js";
import { drawVerificationSample } from "./verification-sample.js";

const spec = deciderSpec(verificationDecider);
const inspector = { id: "inspector-1", roles: ["inspector" as const] };
const paid: VerifiedPayment = { disbursementId: "d1", householdId: "h1", status: "recorded", amountFen: 95_000, paidOn: "2024-03-25" };

function request(verificationId: string, outcome: VerificationRequest["outcome"], extra: Partial<VerificationRequest> = {}): VerificationRequest {
  return { verificationId, disbursementId: "d1", outcome, visitedOn: "2024-04-10", method: "home_visit", note: "", ...extra };
}
const record = (r: VerificationRequest, payment: VerifiedPayment | null = paid, actor = inspector) => ({ type: "RecordVerification" as const, data: { request: r, payment, actor } });
function recorded(verificationId: string, outcome: VerificationRecorded["data"]["outcome"], observedAmountFen: number | null = null, visitedOn = "2024-04-10"): VerificationRecorded {
  return {
    type: "VerificationRecorded",
    data: { verificationId, disbursementId: "d1", householdId: "h1", outcome, paidAmountFen: 95_000, observedAmountFen, visitedOn, method: "home_visit", note: "", inspector: "inspector-1" },
  };
}
const ids = (verificationId: string) => ({ disbursementId: "d1", householdId: "h1", verificationId });
const opened = (caseId: string, reason: "not_received" | "amount_differs"): VerificationEvent => ({ type: "CaseOpened", data: { caseId, ...ids(caseId), reason, openedOn: "2024-04-10" } });

describe("verification decider", () => {
  it("received: the finding alone, no case", () => {
    spec.given([]).when(record(request("v1", "received"))).then([recorded("v1", "received")]);
  });

  it("not_received opens a case named by the verification", () => {
    spec.given([]).when(record(request("v1", "not_received"))).then([recorded("v1", "not_received"), opened("v1", "not_received")]);
  });

  it("amount_differs opens a case and keeps the observed amount", () => {
    spec.given([]).when(record(request("v1", "amount_differs", { observedAmountFen: 60_000 }))).then([recorded("v1", "amount_differs", 60_000), opened("v1", "amount_differs")]);
  });

  it("a second dispute joins the open case; a follow-up received closes it", () => {
    spec.given([recorded("v1", "not_received"), opened("v1", "not_received")]).when(record(request("v2", "amount_differs", { observedAmountFen: 1 }))).then([recorded("v2", "amount_differs", 1)]);
    spec
      .given([recorded("v1", "not_received"), opened("v1", "not_received")])
      .when(record(request("v2", "received", { visitedOn: "2024-05-02" })))
      .then([recorded("v2", "received", null, "2024-05-02"), { type: "CaseClosed", data: { caseId: "v1", ...ids("v2"), resolution: "received_on_follow_up", closedOn: "2024-05-02" } }]);
  });

  it("a retry with the same id and body appends nothing; another body is already_exists", () => {
    spec.given([recorded("v1", "received")]).when(record(request("v1", "received"))).then([]);
    spec.given([recorded("v1", "received")]).when(record(request("v1", "not_received"))).thenThrows(AlreadyExists);
  });

  it("refuses: not an inspector, unknown payment, money not paid, visit before payment, inconsistent amounts", () => {
    spec.given([]).when(record(request("v1", "received"), paid, { id: "o1", roles: ["officer"] as never })).thenThrows(RoleRequired);
    spec.given([]).when(record(request("v1", "received"), null)).thenThrows(DisbursementNotFound);
    for (const status of ["pending_approval", "refused", "rejected", "reversed"]) {
      spec.given([]).when(record(request("v1", "received"), { ...paid, status })).thenThrows(NotVerifiable, { code: "not_verifiable" });
    }
    spec.given([]).when(record(request("v1", "received", { visitedOn: "2024-03-01" }))).thenThrows(VerificationInvalid);
    spec.given([]).when(record(request("v1", "amount_differs"))).thenThrows(VerificationInvalid);
    spec.given([]).when(record(request("v1", "amount_differs", { observedAmountFen: 95_000 }))).thenThrows(VerificationInvalid);
    spec.given([]).when(record(request("v1", "received", { observedAmountFen: 95_000 }))).thenThrows(VerificationInvalid);
  });
});

describe("verification sample", () => {
  const candidates = Array.from({ length: 60 }, (_, i) => ({ disbursementId: `d${String(i).padStart(3, "0")}`, villageId: `v${i % 3}` }));

  it("draws per village, reproducibly, whatever the candidates' order", () => {
    const a = drawVerificationSample("2024-H1", 5, candidates);
    const b = drawVerificationSample("2024-H1", 5, [...candidates].reverse());
    expect(a).toEqual(b);
    expect(a.map((v) => [v.villageId, v.population, v.sample.length])).toEqual([
      ["v0", 20, 5],
      ["v1", 20, 5],
      ["v2", 20, 5],
    ]);
    for (const v of a) for (const c of v.sample) expect(c.villageId).toBe(v.villageId);
    expect(new Set(a.flatMap((v) => v.sample.map((c) => c.disbursementId))).size).toBe(15);
  });

  it("another seed draws another sample; a village's sample ignores other villages' payments; small villages are taken whole", () => {
    const a = drawVerificationSample("seed-a", 5, candidates);
    expect(drawVerificationSample("seed-b", 5, candidates)).not.toEqual(a);
    const more = [...candidates, { disbursementId: "x1", villageId: "v1" }];
    expect(drawVerificationSample("seed-a", 5, more)[0]).toEqual(a[0]);
    expect(drawVerificationSample("seed-a", 50, candidates)[2]?.sample).toHaveLength(20);
  });
});
