import { z } from "zod";
import { CalendarDate } from "../shared/calendar-date.js";
import { canonicalJson } from "../shared/canonical-json.js";
import type { Decider } from "../shared/decider.js";
import { AlreadyExists, ImpossibleEvent, UnknownCommand } from "../shared/errors.js";
import { PositiveFen } from "../shared/fen.js";
import { Id } from "../shared/ids.js";

/** 户贷户用 (household use) or 户贷企用 (enterprise use: the enterprise owes the household an annual dividend). */
export const LoanUse = z.enum(["household", "enterprise"]);
export type LoanUse = z.infer<typeof LoanUse>;

/** Basis points: 1 bp = 0.01 %; rates and shares are integers so no float enters a computation. */
const Bps = z.int().min(0).max(10_000);

export const LoanRecordedData = z
  .strictObject({
    loanId: Id,
    householdId: Id,
    principalFen: PositiveFen,
    annualRateBps: Bps,
    termMonths: z.int().min(1).max(600),
    use: LoanUse,
    issuedOn: CalendarDate,
    /** Share of the interest the program subsidises, in bps (10000 = all of it). */
    subsidyShareBps: Bps,
    annualDividendFen: PositiveFen.nullable(),
  })
  .refine((l) => (l.use === "enterprise") === (l.annualDividendFen !== null), {
    message: "enterprise-use loans carry an annual dividend, household-use loans none",
    path: ["annualDividendFen"],
  });
export type LoanRecorded = { type: "LoanRecorded"; data: z.infer<typeof LoanRecordedData> };
export type LoanEvent = LoanRecorded;

export const RecordLoanCommand = z.strictObject({ type: z.literal("RecordLoan"), data: LoanRecordedData });
export type RecordLoan = z.infer<typeof RecordLoanCommand>;
export type LoanCommand = RecordLoan;

export type RecordedLoan = { status: "recorded" } & LoanRecorded["data"];
export type LoanState = { status: "none" } | RecordedLoan;

export function initialLoanState(): LoanState {
  return { status: "none" };
}

export function decideLoan(command: LoanCommand, state: LoanState): LoanEvent[] {
  switch (command.type) {
    case "RecordLoan": {
      if (state.status === "recorded") {
        const { status: _s, ...recorded } = state;
        if (canonicalJson(recorded) === canonicalJson(command.data)) return [];
        throw new AlreadyExists("loan", command.data.loanId);
      }
      return [{ type: "LoanRecorded", data: command.data }];
    }
    default: {
      const _exhaustive: never = command.type;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export function evolveLoan(state: LoanState, event: LoanEvent): LoanState {
  switch (event.type) {
    case "LoanRecorded":
      if (state.status !== "none") throw new ImpossibleEvent(event.type, state.status);
      return { status: "recorded", ...event.data };
    default: {
      const _exhaustive: never = event.type;
      throw new UnknownCommand(_exhaustive);
    }
  }
}

export const loanDecider: Decider<LoanCommand, LoanState, LoanEvent> = {
  decide: decideLoan,
  evolve: evolveLoan,
  initialState: initialLoanState,
};
