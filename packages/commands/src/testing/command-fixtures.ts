import type { Actor, ProgramRule } from "@aidtrail/domain";
import type { CommandContext } from "../command-context.js";
import type { CommandHandlers } from "../command-handlers.js";
import type { MemberInput } from "../household-handlers.js";
import type { PiiKeys } from "../pii/pii-keys.js";

/** Fixed keys so test runs are reproducible; never used outside tests. */
export const testPiiKeys: PiiKeys = { masterKey: Buffer.alloc(32, 7), indexKey: Buffer.alloc(32, 9) };

let requestSeq = 0;
/** A command context at a fixed business time. */
export function contextOf(id: string, roles: Actor["roles"], now = "2024-05-31T09:00:00.000Z"): CommandContext {
  return { actor: { id, roles }, requestId: `req-${++requestSeq}`, now };
}
export const admin = contextOf("admin-1", ["admin"]);
export const officer = (id = "officer-1") => contextOf(id, ["officer"]);
export const approver = (id = "approver-1") => contextOf(id, ["approver"]);

/** A plausible 18-character national id: region 320102, birth date, sequence, check character. */
export function nationalIdFor(n: number, birth = "19800101"): string {
  return `320102${birth}${String(n % 1000).padStart(3, "0")}${n % 11 === 10 ? "X" : String(n % 10)}`;
}

/** Three members: head, spouse, a child in primary school. */
export function membersOf(householdId: string, n: number): MemberInput[] {
  return [
    { memberId: `${householdId}-p1`, name: "王伟", nationalId: nationalIdFor(n * 3), birthDate: "1980-01-01", relation: "head", schoolLevel: null, health: "healthy" },
    { memberId: `${householdId}-p2`, name: "李娜", nationalId: nationalIdFor(n * 3 + 1), birthDate: "1982-03-04", relation: "spouse", schoolLevel: null, health: "chronic_illness" },
    { memberId: `${householdId}-p3`, name: "王小明", nationalId: nationalIdFor(n * 3 + 2, "20140901"), birthDate: "2014-09-01", relation: "child", schoolLevel: "primary", health: "healthy" },
  ];
}

/** Registers `count` households `<prefix>-<i>` in village v1, concurrently. */
export async function registerHouseholds(handlers: CommandHandlers, prefix: string, count: number, base = 0): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await Promise.all(
    ids.map((householdId, i) =>
      handlers.registerHousehold(
        {
          householdId,
          villageId: "v1",
          headMemberId: `${householdId}-p1`,
          members: membersOf(householdId, base + i),
          povertyCause: "illness",
          registeredOn: "2023-01-10",
        },
        officer(),
      ),
    ),
  );
  return ids;
}

/** Defines a program with one allocation of `budgetFen`. */
export async function defineFundedProgram(handlers: CommandHandlers, programId: string, rule: ProgramRule, budgetFen: number): Promise<void> {
  await handlers.defineProgram({ programId, name: `program ${programId}`, kind: rule.kind, rule, fundingSource: "central" }, admin);
  await handlers.addAllocation({ programId, allocationId: `${programId}-a1`, amountFen: budgetFen, period: "2024", note: "2024 plan" }, admin);
}

const base = { version: 1, approvalThresholdFen: 500_000, postExitMonths: 0, perMember: false } as const;
/** A one-off household grant (到户项目) capped at 6,000 yuan. */
export const grantRule: ProgramRule = { kind: "household_project", ...base, granularity: "one_off", capPerHouseholdFen: 600_000 };
/** 低保 monthly: 3,800 yuan a person a year; 3 members → 95,000 fen a month. */
export const dibaoRule: ProgramRule = { kind: "dibao", ...base, granularity: "month", annualStandardPerPersonFen: 380_000 };
