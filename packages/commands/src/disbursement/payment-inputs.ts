import { type DisbursementContext, type DisbursementRequest, streamIds } from "@aidtrail/domain";
import type { Aggregate } from "../aggregates/aggregate.js";
import { householdAggregate, loanAggregate, programAggregate, stakeAggregate } from "../aggregates/domain-aggregates.js";

/** How a stream's state is obtained: read fresh (the saga) or as last seen with a revision check (one append). */
export type StateOf = <S>(streamId: string, aggregate: Aggregate<S>) => Promise<S>;

/** What a payment is assessed on: household, program, and its stake or loan, each through `stateOf`, at once. */
export async function paymentInputs(request: DisbursementRequest, stateOf: StateOf): Promise<DisbursementContext> {
  const inputs = request.inputs;
  const [household, program, stake, loan] = await Promise.all([
    stateOf(streamIds.household(request.householdId), householdAggregate),
    stateOf(streamIds.program(request.programId), programAggregate),
    inputs?.kind === "enterprise_dividend" ? stateOf(streamIds.stake(inputs.stakeId), stakeAggregate) : null,
    inputs?.kind === "loan_interest" ? stateOf(streamIds.loan(inputs.loanId), loanAggregate) : null,
  ]);
  return { household, program, stake, loan };
}
