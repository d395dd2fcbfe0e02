import { type DisbursementContext, type DisbursementRequest, streamIds } from "@aidtrail/domain";
import type { Aggregate } from "../aggregates/aggregate.js";
import { householdAggregate, loanAggregate, programAggregate, stakeAggregate } from "../aggregates/domain-aggregates.js";
import type { Companion } from "../aggregates/joint-append.js";

/** How a stream's state is obtained: read fresh (the saga) or as last seen (one append), with its revision. */
export type LoadStream = <S>(streamId: string, aggregate: Aggregate<S>) => Promise<{ state: S; revision: number }>;

/** What a payment was assessed on, and a revision check of each stream it read except the program. */
export interface AssessedInputs {
  context: DisbursementContext;
  /**
   * Entries without events for the append that records the payment: it stores nothing unless
   * the household (stake, loan) is still at the revision assessed on when it commits. The
   * program needs none: its write decides again on the program as it stands.
   */
  checks: Companion[];
}

/** What a payment is assessed on: household, program, and its stake or loan, each through `load`, at once. */
export async function paymentInputs(request: DisbursementRequest, load: LoadStream): Promise<AssessedInputs> {
  const inputs = request.inputs;
  const household = streamIds.household(request.householdId);
  const stake = inputs?.kind === "enterprise_dividend" ? streamIds.stake(inputs.stakeId) : null;
  const loan = inputs?.kind === "loan_interest" ? streamIds.loan(inputs.loanId) : null;
  const [h, program, s, l] = await Promise.all([
    load(household, householdAggregate),
    load(streamIds.program(request.programId), programAggregate),
    stake === null ? null : load(stake, stakeAggregate),
    loan === null ? null : load(loan, loanAggregate),
  ]);
  const checks = [checkOf(household, householdAggregate, h.revision)];
  if (s !== null) checks.push(checkOf(stake!, stakeAggregate, s.revision));
  if (l !== null) checks.push(checkOf(loan!, loanAggregate, l.revision));
  return { context: { household: h.state, program: program.state, stake: s?.state ?? null, loan: l?.state ?? null }, checks };
}

function checkOf<S>(streamId: string, aggregate: Aggregate<S>, revision: number): Companion {
  return { streamId, aggregate: aggregate as Aggregate<unknown>, events: [], expectedRevision: revision === -1 ? "no_stream" : revision };
}
