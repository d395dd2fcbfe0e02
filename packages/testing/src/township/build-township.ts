import type { Actor } from "@aidtrail/domain";
import { buildHouseholds } from "./build-households.js";
import { buildPayments } from "./build-payments.js";
import { programDefinitions, programRules } from "./build-programs.js";
import { Prng } from "./prng.js";
import type { ProgramTotals, TownshipCommand, TownshipContext, TownshipPlan } from "./township-types.js";

/**
 * The cc township of cc-township.json as commands, deterministic from `seed`: programs and budgets,
 * households and their status history, stakes and loans, every payment of the half-year, and the
 * second signatures the larger renovations need.
 */
export function buildTownship(seed: number): TownshipPlan {
  const rng = new Prng(seed);
  const households = buildHouseholds(rng);
  const { stakes, loans, payments } = buildPayments(rng, households);
  let n = 0;
  const ctx = (id: string, roles: Actor["roles"], day: string): TownshipContext => ({
    actor: { id, roles },
    requestId: `cc-${seed}-${++n}`,
    now: `${day}T09:00:00.000Z`,
  });
  const villageOf = new Map(households.map((h) => [h.household.householdId, h.household.villageId]));
  const officer = (householdId: string, day: string) => ctx(`officer-${(villageOf.get(householdId) ?? "").slice(0, 7)}`, ["officer"], day);
  const admin = ctx("cc-admin", ["admin"], "2024-01-02");

  const expected: Record<string, ProgramTotals> = {};
  const seen = new Map<string, { households: Set<string>; beneficiaries: Set<string> }>();
  for (const p of payments) {
    const e = expected[p.programId] ?? { payments: 0, households: 0, beneficiaries: 0, totalFen: 0 };
    expected[p.programId] = e;
    const s = seen.get(p.programId) ?? { households: new Set(), beneficiaries: new Set() };
    seen.set(p.programId, s);
    e.payments++;
    e.totalFen += p.amountFen;
    s.households.add(p.householdId);
    s.beneficiaries.add(p.memberId ?? p.householdId);
    e.households = s.households.size;
    e.beneficiaries = s.beneficiaries.size;
  }

  const pending = payments.filter((p) => p.amountFen > programRules[p.programId as keyof typeof programRules].approvalThresholdFen);
  const phase = (name: string, commands: TownshipCommand[]) => ({ name, commands });
  return {
    seed,
    households: households.map((h) => h.household),
    expected,
    phases: [
      phase("programs", programDefinitions().map((data) => ({ kind: "defineProgram", data, ctx: admin }))),
      phase(
        "allocations",
        Object.entries(expected).map(([programId, e]) => ({
          kind: "addAllocation",
          data: { programId, allocationId: `${programId}-2024`, amountFen: e.totalFen, period: "2024", note: "2024 plan (资金计划)" },
          ctx: admin,
        })),
      ),
      phase("households", households.map((h) => ({ kind: "registerHousehold", data: h.household, ctx: officer(h.household.householdId, h.household.registeredOn) }))),
      ...[0, 1].map((step) =>
        phase(
          step === 0 ? "pre-exit" : "exit",
          households.flatMap((h) => {
            const change = h.statusChanges[step];
            return change ? [{ kind: "changeHouseholdStatus" as const, data: { householdId: h.household.householdId, ...change }, ctx: officer(h.household.householdId, change.effectiveOn) }] : [];
          }),
        ),
      ),
      phase("stakes and loans", [
        ...stakes.map((data): TownshipCommand => ({ kind: "recordStake", data, ctx: officer(data.householdId, "2023-01-10") })),
        ...loans.map((data): TownshipCommand => ({ kind: "recordLoan", data, ctx: officer(data.householdId, data.issuedOn) })),
      ]),
      phase("payments", payments.map((data) => ({ kind: "recordDisbursement", data, ctx: officer(data.householdId, data.paidOn) }))),
      phase("approvals", pending.map((p) => ({ kind: "approveDisbursement", data: { disbursementId: p.disbursementId }, ctx: ctx("cc-approver", ["approver"], p.paidOn) }))),
    ],
  };
}
