import type {
  Actor,
  AddAllocation,
  CalendarDate,
  DefineProgram,
  DisbursementRequest,
  HouseholdStatus,
  Member,
  PovertyCause,
  RecordLoan,
  RecordStake,
} from "@aidtrail/domain";

/** The context every command handler takes (as @aidtrail/commands defines it). */
export interface TownshipContext {
  actor: Actor;
  requestId: string;
  now: string;
}

export type TownshipMember = Omit<Member, "nationalId"> & { nationalId: string };

export interface TownshipHousehold {
  householdId: string;
  villageId: string;
  headMemberId: string;
  members: TownshipMember[];
  povertyCause: PovertyCause;
  registeredOn: CalendarDate;
  bankAccount?: string;
}

/**
 * The handlers the generator drives; @aidtrail/commands' `createCommandHandlers` satisfies it.
 * Declared here, structurally, so packages/testing does not depend on the command side.
 */
export interface TownshipHandlers {
  registerHousehold(input: TownshipHousehold, ctx: TownshipContext): Promise<unknown>;
  changeHouseholdStatus(input: { householdId: string; to: HouseholdStatus; reason: string; effectiveOn: CalendarDate }, ctx: TownshipContext): Promise<unknown>;
  defineProgram(data: DefineProgram["data"], ctx: TownshipContext): Promise<unknown>;
  addAllocation(data: AddAllocation["data"], ctx: TownshipContext): Promise<unknown>;
  recordStake(data: RecordStake["data"], ctx: TownshipContext): Promise<unknown>;
  recordLoan(data: RecordLoan["data"], ctx: TownshipContext): Promise<unknown>;
  recordDisbursement(body: unknown, ctx: TownshipContext): Promise<{ outcome: "recorded" | "refused"; code?: string; message?: string } & Record<string, unknown>>;
  approveDisbursement(input: { disbursementId: string }, ctx: TownshipContext): Promise<unknown>;
}

/** One command of the township, as data: the runner sends it to the matching handler. */
export type TownshipCommand =
  | { kind: "defineProgram"; data: DefineProgram["data"]; ctx: TownshipContext }
  | { kind: "addAllocation"; data: AddAllocation["data"]; ctx: TownshipContext }
  | { kind: "registerHousehold"; data: TownshipHousehold; ctx: TownshipContext }
  | { kind: "changeHouseholdStatus"; data: { householdId: string; to: HouseholdStatus; reason: string; effectiveOn: CalendarDate }; ctx: TownshipContext }
  | { kind: "recordStake"; data: RecordStake["data"]; ctx: TownshipContext }
  | { kind: "recordLoan"; data: RecordLoan["data"]; ctx: TownshipContext }
  | { kind: "recordDisbursement"; data: DisbursementRequest; ctx: TownshipContext }
  | { kind: "approveDisbursement"; data: { disbursementId: string }; ctx: TownshipContext };

/** Commands in one phase have no order among them and run concurrently; phases run in order. */
export interface TownshipPhase {
  name: string;
  commands: TownshipCommand[];
}

/** What the plan pays per program, to check the recorded events against. */
export interface ProgramTotals {
  payments: number;
  households: number;
  beneficiaries: number;
  totalFen: number;
}

export interface TownshipPlan {
  seed: number;
  phases: TownshipPhase[];
  households: TownshipHousehold[];
  /** Keyed by programId. */
  expected: Record<string, ProgramTotals>;
}
