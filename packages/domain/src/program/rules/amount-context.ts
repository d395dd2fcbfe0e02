import { z } from "zod";
import type { Member } from "../../household/household-member.js";
import type { RegisteredHousehold } from "../../household/household-state.js";
import type { RecordedLoan } from "../../loan/loan.js";
import type { RecordedStake } from "../../stake/stake.js";

/**
 * What justified an amount, recorded in DisbursementRecorded so a replay gives the same amount.
 * Flat and integer-only: no float can ever be written into an event.
 */
export const RecordedInputs = z.record(z.string(), z.union([z.string(), z.int(), z.boolean(), z.null()]));
export type RecordedInputs = z.infer<typeof RecordedInputs>;

/** Everything a rule may look at to compute an amount; assembled by assessDisbursement. */
export interface AmountContext<Inputs> {
  /** The period text of the request; each kind parses it with the granularity it needs. */
  periodText: string;
  household: RegisteredHousehold;
  /** The member paid, for per-person programs (or when the request names one). */
  member: Member | null;
  /** The kind-specific inputs of the request. */
  inputs: Inputs;
  stake: RecordedStake | null;
  loan: RecordedLoan | null;
}

/**
 * `exact`: the request must ask for exactly `amountFen`. `up_to`: the rule is a cap and the
 * request may ask for any positive amount ≤ `amountFen`.
 */
export interface AmountComputation {
  mode: "exact" | "up_to";
  amountFen: number;
  inputs: RecordedInputs;
}
