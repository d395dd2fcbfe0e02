import { type CommandContext, type CommandHandlers, createCommandHandlers, createPostgresPiiVault } from "@aidtrail/commands";
import { type Actor, type LoanRecorded, type ProgramRule, domainEventSchemas, loanSchedule } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { type TestDatabase, createTestDatabase } from "@aidtrail/testing";
import { sql } from "kysely";
import { Lease } from "../../runtime/lease.js";
import type { Projection } from "../../runtime/projection.js";
import { Projector } from "../../runtime/projector.js";
import { allProjections } from "../index.js";

/** A database, an event store and the command handlers over it, for read-model tests. */
export interface ReadModelHarness {
  database: TestDatabase;
  store: PostgresEventStore;
  handlers: CommandHandlers;
  close(): Promise<void>;
}

/** Fixed keys so runs are reproducible; tests only. */
const testKeys = { masterKey: Buffer.alloc(32, 7), indexKey: Buffer.alloc(32, 9) };

export async function createHarness(adminUrl: string): Promise<ReadModelHarness> {
  const database = await createTestDatabase(adminUrl);
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  const handlers = createCommandHandlers({ store, vault: createPostgresPiiVault(database.db, testKeys) });
  return {
    database,
    store,
    handlers,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

let requestSeq = 0;
function ctx(id: string, roles: Actor["roles"]): CommandContext {
  return { actor: { id, roles }, requestId: `rm-req-${++requestSeq}`, now: "2024-06-30T09:00:00.000Z" };
}
export const admin = () => ctx("admin-1", ["admin"]);
export const officer = (id = "officer-1") => ctx(id, ["officer"]);
export const approver = (id = "approver-1") => ctx(id, ["approver"]);
export const inspector = (id = "inspector-1") => ctx(id, ["inspector"]);

/**
 * Applies everything in the log to `projections` in their live schemas, `batchSize` events at a
 * time, up to the last event committed when called. On a shared server another database's open
 * transaction can hold the snapshot horizon behind our own commits for a moment: "caught up" then
 * comes early, so this waits for the horizon to pass that last event.
 */
export async function project(h: ReadModelHarness, projections: readonly Projection[] = allProjections, batchSize = 1000): Promise<void> {
  const lease = new Lease(`rm-test-${projections.map((p) => p.name).join(",")}`, "rm-test", 60_000);
  await lease.tryAcquire(h.database.db);
  const projector = new Projector({ db: h.database.db, store: h.store, projections, lease, batchSize });
  const { rows } = await sql<{ position: string | null }>`select max(position)::text as position from events`.execute(h.database.db);
  const last = BigInt(rows[0]?.position ?? 0);
  const seen = async () => {
    const { rows } = await sql<{ seen: boolean }>`select exists (select 1 from events where position = ${last.toString()}::bigint
      and transaction_id < pg_snapshot_xmin(pg_current_snapshot())) as seen`.execute(h.database.db);
    return last === 0n || rows[0]?.seen === true;
  };
  for (const giveUp = Date.now() + 60_000; ; ) {
    const horizonPassed = await seen();
    // Drained after the horizon passed the last event: every event up to it is applied.
    if ((await projector.runOnce()).caughtUp && horizonPassed) return;
    if (Date.now() > giveUp) throw new Error(`the log's last event (${last}) stayed behind the snapshot horizon for 60 s`);
    if (!horizonPassed) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const common = { version: 1, approvalThresholdFen: 500_000, postExitMonths: 0, perMember: false } as const;
export const rules = {
  grant: { kind: "household_project", ...common, granularity: "one_off", capPerHouseholdFen: 600_000 },
  dibao: { kind: "dibao", ...common, granularity: "month", annualStandardPerPersonFen: 380_000 },
  education: { kind: "education_aid", ...common, perMember: true, granularity: "half_year", amountPerTermFen: { preschool: 0, primary: 50_000, middle: 62_500, high: 100_000, vocational: 150_000, university: 250_000, yulu: 150_000 } },
  dividend: { kind: "enterprise_dividend", ...common, granularity: "year" },
  loanSubsidy: { kind: "loan_interest", ...common, granularity: "quarter" },
  loanDividend: { kind: "loan_interest", ...common, granularity: "year" },
} satisfies Record<string, ProgramRule>;

function members(householdId: string, n: number) {
  const id = (k: number) => `320102198001010${String((n * 3 + k) % 100).padStart(2, "0")}${k}`;
  return [
    { memberId: `${householdId}-p1`, name: "王伟", nationalId: id(1), birthDate: "1980-01-01", relation: "head" as const, schoolLevel: null, health: "healthy" as const },
    { memberId: `${householdId}-p2`, name: "李娜", nationalId: id(2), birthDate: "1982-03-04", relation: "spouse" as const, schoolLevel: null, health: "chronic_illness" as const },
    { memberId: `${householdId}-p3`, name: "王小明", nationalId: id(3), birthDate: "2014-09-01", relation: "child" as const, schoolLevel: "primary" as const, health: "healthy" as const },
  ];
}

/** Registers a household of three (head, spouse, a pupil) in `villageId`. */
export async function register(h: ReadModelHarness, householdId: string, villageId: string, n: number): Promise<void> {
  await h.handlers.registerHousehold(
    { householdId, villageId, headMemberId: `${householdId}-p1`, members: members(householdId, n), povertyCause: "illness", registeredOn: "2023-01-10" },
    officer(),
  );
}

export async function defineProgram(h: ReadModelHarness, programId: string, rule: ProgramRule, budgetFen: number): Promise<void> {
  await h.handlers.defineProgram({ programId, name: `program ${programId}`, kind: rule.kind, rule, fundingSource: "central" }, admin());
  await h.handlers.addAllocation({ programId, allocationId: `${programId}-a1`, amountFen: budgetFen, period: "2024", note: "2024 plan" }, admin());
}

/** Records a payment and returns its answer; throws on a refusal so a test cannot miss it. */
export async function pay(
  h: ReadModelHarness,
  body: { disbursementId: string; householdId: string; programId: string; period: string; amountFen: number; memberId?: string; inputs?: Record<string, unknown>; paidOn?: string },
  by = officer(),
) {
  const answer = await h.handlers.recordDisbursement({ paidOn: "2024-06-15", channel: "one_card", reference: `ref-${body.disbursementId}`, ...body }, by);
  if (answer.outcome !== "recorded") throw new Error(`payment ${body.disbursementId} refused: ${answer.code} ${answer.message}`);
  return answer;
}

/**
 * A small township: two villages, three households, six programs; payments recorded, one
 * pending then approved, one rejected, one reversed; a stake and an enterprise-use loan paid.
 */
export async function recordStory(h: ReadModelHarness) {
  await defineProgram(h, "grant", rules.grant, 2_000_000);
  await defineProgram(h, "dibao", rules.dibao, 5_000_000);
  await defineProgram(h, "edu", rules.education, 1_000_000);
  await defineProgram(h, "div", rules.dividend, 1_000_000);
  await defineProgram(h, "loan-sub", rules.loanSubsidy, 1_000_000);
  await defineProgram(h, "loan-div", rules.loanDividend, 1_000_000);
  await register(h, "h1", "v1", 1);
  await register(h, "h2", "v1", 2);
  await register(h, "h3", "v2", 3);

  const dibaoJan = await pay(h, { disbursementId: "d-h1-jan", householdId: "h1", programId: "dibao", period: "2024-01", amountFen: 95_000 });
  const dibaoFeb = await pay(h, { disbursementId: "d-h1-feb", householdId: "h1", programId: "dibao", period: "2024-02", amountFen: 95_000 });
  await pay(h, { disbursementId: "d-h2-jan", householdId: "h2", programId: "dibao", period: "2024-01", amountFen: 95_000 });
  await pay(h, { disbursementId: "e-h1-p3", householdId: "h1", memberId: "h1-p3", programId: "edu", period: "2024-H1", amountFen: 50_000 });
  await pay(h, { disbursementId: "e-h2-p3", householdId: "h2", memberId: "h2-p3", programId: "edu", period: "2024-H1", amountFen: 50_000 });

  const grantH1 = await pay(h, { disbursementId: "g-h1", householdId: "h1", programId: "grant", period: "once", amountFen: 550_000 });
  const grantH2 = await pay(h, { disbursementId: "g-h2", householdId: "h2", programId: "grant", period: "once", amountFen: 520_000 });
  const approved = await h.handlers.approveDisbursement({ disbursementId: "g-h1" }, approver());
  await h.handlers.rejectDisbursement({ disbursementId: "g-h2", reason: "documents missing" }, approver());
  const reversal = await h.handlers.reverseDisbursement({ disbursementId: "d-h1-feb", reason: "paid twice by the bank" }, officer());

  await h.handlers.recordStake(
    { stakeId: "s-h3", householdId: "h3", enterprise: "塔桥明利蔬菜基地", investedFen: 1_000_000, annualDividendFen: 60_000, firstYear: 2023, years: 3 },
    officer(),
  );
  await pay(h, { disbursementId: "div-h3-2023", householdId: "h3", programId: "div", period: "2023", amountFen: 60_000, inputs: { kind: "enterprise_dividend", stakeId: "s-h3" } });
  const loan: LoanRecorded["data"] = {
    loanId: "l-h3",
    householdId: "h3",
    principalFen: 5_000_000,
    annualRateBps: 435,
    termMonths: 36,
    use: "enterprise",
    issuedOn: "2023-03-01",
    subsidyShareBps: 10_000,
    annualDividendFen: 350_000,
  };
  await h.handlers.recordLoan(loan, officer());
  const q2 = loanSchedule(loan, "quarter").interestSubsidy.find((p) => p.period === "2023-Q2")?.subsidyFen ?? 0;
  await pay(h, { disbursementId: "ls-h3-q2", householdId: "h3", programId: "loan-sub", period: "2023-Q2", amountFen: q2, inputs: { kind: "loan_interest", loanId: "l-h3", component: "interest_subsidy" } });
  await pay(h, { disbursementId: "ld-h3-2024", householdId: "h3", programId: "loan-div", period: "2024", amountFen: 350_000, inputs: { kind: "loan_interest", loanId: "l-h3", component: "dividend" } });

  await h.handlers.changeHouseholdStatus({ householdId: "h2", to: "pre_exit", reason: "income above the line", effectiveOn: "2024-06-20" }, officer());
  await h.handlers.correctMember({ householdId: "h1", memberId: "h1-p2", field: "name", newValue: "李娜娜", reason: "typo" }, officer());

  return {
    loanSubsidyQ2Fen: q2,
    dibaoJanPosition: BigInt(dibaoJan.position),
    dibaoFebPosition: BigInt(dibaoFeb.position),
    grantH1Position: BigInt(grantH1.position),
    grantH2Position: BigInt(grantH2.position),
    approvedPosition: BigInt(approved.events[0]?.position ?? "0"),
    reversalPosition: BigInt(reversal.events[0]?.position ?? "0"),
  };
}
