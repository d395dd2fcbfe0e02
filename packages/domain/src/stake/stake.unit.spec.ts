import { describe, it } from "vitest";
import { AlreadyExists } from "../shared/errors.js";
import { deciderSpec } from "../testing/given-when-then.js";
import { loanDecider } from "../loan/loan.js";
import { stakeDecider } from "./stake.js";

const stake = { stakeId: "s1", householdId: "h1", enterprise: "利达现代农业公司", investedFen: 993_000, annualDividendFen: 60_000, firstYear: 2023, years: 3 };
const loan = {
  loanId: "l1",
  householdId: "h1",
  principalFen: 5_000_000,
  annualRateBps: 435,
  termMonths: 36,
  use: "enterprise" as const,
  issuedOn: "2023-06-01",
  subsidyShareBps: 10_000,
  annualDividendFen: 350_000,
};

describe("stake and loan deciders", () => {
  it("records a stake once; a retry is a no-op, different data a conflict", () => {
    const { given } = deciderSpec(stakeDecider);
    given([]).when({ type: "RecordStake", data: stake }).then([{ type: "StakeRecorded", data: stake }]);
    given([{ type: "StakeRecorded", data: stake }]).when({ type: "RecordStake", data: stake }).then([]);
    given([{ type: "StakeRecorded", data: stake }]).when({ type: "RecordStake", data: { ...stake, years: 4 } }).thenThrows(AlreadyExists);
  });

  it("records a loan once; a retry is a no-op, different data a conflict", () => {
    const { given } = deciderSpec(loanDecider);
    given([]).when({ type: "RecordLoan", data: loan }).then([{ type: "LoanRecorded", data: loan }]);
    given([{ type: "LoanRecorded", data: loan }]).when({ type: "RecordLoan", data: loan }).then([]);
    given([{ type: "LoanRecorded", data: loan }]).when({ type: "RecordLoan", data: { ...loan, annualRateBps: 400 } }).thenThrows(AlreadyExists);
  });
});
