import { describe, expect, it } from "vitest";
import { slotKeyFor } from "../disbursement/assess-disbursement.js";
import type { DisbursementRequest } from "../disbursement/disbursement-request.js";
import { rules } from "../testing/fixtures.js";

// The event store's stream-name alphabet (packages/event-store/src/event-validation.ts).
const STREAM_NAME = /^[A-Za-z0-9_.:@\-\u4e00-\u9fff]{1,200}$/u;

const request = (period: string): DisbursementRequest => ({
  disbursementId: "d1",
  householdId: "h1",
  programId: "prog-loan",
  period,
  amountFen: 1,
  paidOn: "2024-05-01",
  channel: "one_card",
  reference: "r",
});

describe("slot keys", () => {
  it("a loan's dividend and its interest subsidy take different slots, and both are valid stream names", () => {
    const dividend = slotKeyFor(rules.loan_interest, request("2024"), { kind: "loan_interest", loanId: "l1", component: "dividend" });
    const subsidy = slotKeyFor(rules.loan_interest, request("2024"), { kind: "loan_interest", loanId: "l1", component: "interest_subsidy" });
    expect(dividend).toBe("prog-loan:l1:dividend:2024");
    expect(subsidy).toBe("prog-loan:l1:2024");
    expect(`slot-${dividend}`).toMatch(STREAM_NAME);
    expect(`slot-${subsidy}`).toMatch(STREAM_NAME);
  });
});
