import { type Kysely, sql } from "kysely";
import { liveSchema } from "../../runtime/projection.js";
import { DISBURSEMENTS } from "../disbursements/projection.js";
import { HOUSEHOLD_FILE } from "../household-file/projection.js";
import { HOUSEHOLD_PROFILE, type ProfileMember } from "../household-profile/projection.js";
import { PROGRAM_BUDGETS } from "../program-budgets/projection.js";

/** One program in one village (villageId null: all villages), over the report's date range. */
export interface ProgramVillageFigures {
  programId: string;
  programName: string | null;
  kind: string | null;
  villageId: string | null;
  households: number;
  /** Distinct members paid in person (students, patients, workers); 0 for household-level programs. */
  persons: number;
  payments: number;
  amountFen: number;
}

export interface RegistryFigures {
  villageId: string | null;
  registeredHouseholds: number;
  registeredPersons: number;
  /** Status on the report's `to` date, by effective date (a late change counts from when it took effect). */
  enrolled: { households: number; persons: number };
  plannedExit: { households: number; persons: number };
  exited: { households: number; persons: number };
  causes: Record<string, number>;
}

export interface SummaryReport {
  from: string;
  to: string;
  programs: ProgramVillageFigures[];
  /** 危房改造 by renovation type, 教育 by school level: the report's own breakdowns. */
  breakdowns: Array<{ programId: string; dimension: "renovationType" | "schoolLevel"; value: string; count: number; amountFen: number }>;
  registry: RegistryFigures[];
  assets: {
    loans: { loans: number; households: number; principalFen: number; byUse: Record<string, number> };
    stakes: { stakes: number; households: number; investedFen: number };
  };
  /** Where the figures need a word of explanation; derived from the data, never typed in. */
  footnotes: string[];
}

interface PaymentLine {
  disbursement_id: string;
  household_id: string;
  member_id: string | null;
  program_id: string;
  period: string;
  amount_fen: string;
  inputs: Record<string, unknown> | null;
}

/**
 * 半年工作总结的表: per program and village over [from, to] (payment dates, inclusive): households,
 * persons, payments and amount of counted payments (recorded or approved, not reversed); the
 * registry on `to`; loans and stakes recorded by `to`. Read from the read models at query time.
 */
export async function summaryReport(db: Kysely<any>, range: { from: string; to: string }): Promise<SummaryReport> {
  const { from, to } = range;
  const profiles = (
    await sql<{ household_id: string; village_id: string; member_count: number; members: ProfileMember[]; poverty_cause: string; registered_on: string }>`
      select household_id, village_id, member_count, members, poverty_cause, registered_on::text as registered_on
      from ${sql.id(liveSchema(HOUSEHOLD_PROFILE), "household_profile")} order by household_id`.execute(db)
  ).rows;
  const byHousehold = new Map(profiles.map((p) => [p.household_id, p]));
  const programInfo = new Map(
    (await sql<{ program_id: string; name: string | null; kind: string | null }>`select program_id, name, kind from ${sql.id(liveSchema(PROGRAM_BUDGETS), "program_budgets")}`.execute(db)).rows.map((r) => [
      r.program_id,
      r,
    ]),
  );
  const payments = (
    await sql<PaymentLine>`
      select disbursement_id, household_id, member_id, program_id, period, amount_fen, inputs
      from ${sql.id(liveSchema(DISBURSEMENTS), "disbursements")}
      where status = 'recorded' and amount_fen is not null and paid_on between ${from}::date and ${to}::date
      order by disbursement_id`.execute(db)
  ).rows;

  // Program × village, and program totals (villageId null).
  const groups = new Map<string, { f: ProgramVillageFigures; households: Set<string>; persons: Set<string> }>();
  const add = (programId: string, villageId: string | null, p: PaymentLine) => {
    const key = `${programId}\u0000${villageId ?? ""}`;
    let g = groups.get(key);
    if (!g) {
      const info = programInfo.get(programId);
      g = {
        f: { programId, programName: info?.name ?? null, kind: info?.kind ?? null, villageId, households: 0, persons: 0, payments: 0, amountFen: 0 },
        households: new Set(),
        persons: new Set(),
      };
      groups.set(key, g);
    }
    g.f.payments += 1;
    g.f.amountFen += Number(p.amount_fen);
    g.households.add(p.household_id);
    if (p.member_id !== null) g.persons.add(p.member_id);
  };
  const breakdown = new Map<string, SummaryReport["breakdowns"][number]>();
  const bump = (programId: string, dimension: "renovationType" | "schoolLevel", value: string, amountFen: number) => {
    const key = `${programId}\u0000${dimension}\u0000${value}`;
    const b = breakdown.get(key) ?? { programId, dimension, value, count: 0, amountFen: 0 };
    b.count += 1;
    b.amountFen += amountFen;
    breakdown.set(key, b);
  };
  for (const p of payments) {
    const village = byHousehold.get(p.household_id)?.village_id ?? "unknown";
    add(p.program_id, village, p);
    add(p.program_id, null, p);
    const renovationType = p.inputs?.renovationType;
    if (typeof renovationType === "string") bump(p.program_id, "renovationType", renovationType, Number(p.amount_fen));
    if (programInfo.get(p.program_id)?.kind === "education_aid" && p.member_id !== null) {
      const level = byHousehold.get(p.household_id)?.members.find((m) => m.memberId === p.member_id)?.schoolLevel ?? "unknown";
      bump(p.program_id, "schoolLevel", level, Number(p.amount_fen));
    }
  }
  const programs = [...groups.values()]
    .map((g) => ({ ...g.f, households: g.households.size, persons: g.persons.size }))
    .sort((a, b) => cmp(a.programId, b.programId) || cmp(a.villageId ?? "\uffff", b.villageId ?? "\uffff"));

  const registry = await registryOn(db, profiles, to);
  const assets = await assetsBy(db, to);
  return {
    from,
    to,
    programs,
    breakdowns: [...breakdown.values()].sort((a, b) => cmp(a.programId, b.programId) || cmp(a.dimension, b.dimension) || cmp(a.value, b.value)),
    registry,
    assets,
    footnotes: footnotes(programs, payments),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function registryOn(db: Kysely<any>, profiles: ReadonlyArray<{ household_id: string; village_id: string; member_count: number; poverty_cause: string; registered_on: string }>, to: string): Promise<RegistryFigures[]> {
  // The household file keeps every status change with its effective date, in recording order.
  const changes = (
    await sql<{ household_id: string; to: string; effective_on: string }>`
      select household_id, summary->>'to' as to, summary->>'effectiveOn' as effective_on
      from ${sql.id(liveSchema(HOUSEHOLD_FILE), "household_file")}
      where event_type = 'HouseholdStatusChanged' order by transaction_id, position`.execute(db)
  ).rows;
  const statusOn = new Map<string, { to: string; effectiveOn: string }>();
  for (const c of changes) {
    if (c.effective_on > to) continue;
    const current = statusOn.get(c.household_id);
    // Latest effective date wins; on a tie the later recording (this one, in log order).
    if (!current || c.effective_on >= current.effectiveOn) statusOn.set(c.household_id, { to: c.to, effectiveOn: c.effective_on });
  }
  const rows = new Map<string | null, RegistryFigures>();
  const row = (villageId: string | null) => {
    let r = rows.get(villageId);
    if (!r) {
      r = { villageId, registeredHouseholds: 0, registeredPersons: 0, enrolled: { households: 0, persons: 0 }, plannedExit: { households: 0, persons: 0 }, exited: { households: 0, persons: 0 }, causes: {} };
      rows.set(villageId, r);
    }
    return r;
  };
  for (const p of profiles) {
    if (p.registered_on > to) continue;
    const status = statusOn.get(p.household_id)?.to ?? "enrolled";
    for (const r of [row(p.village_id), row(null)]) {
      r.registeredHouseholds += 1;
      r.registeredPersons += p.member_count;
      const bucket = status === "exited" ? r.exited : status === "pre_exit" ? r.plannedExit : r.enrolled;
      bucket.households += 1;
      bucket.persons += p.member_count;
      r.causes[p.poverty_cause] = (r.causes[p.poverty_cause] ?? 0) + 1;
    }
  }
  return [...rows.values()].sort((a, b) => cmp(a.villageId ?? "\uffff", b.villageId ?? "\uffff"));
}

async function assetsBy(db: Kysely<any>, to: string): Promise<SummaryReport["assets"]> {
  const rows = (
    await sql<{ event_type: string; household_id: string; summary: Record<string, unknown> }>`
      select event_type, household_id, summary from ${sql.id(liveSchema(HOUSEHOLD_FILE), "household_file")}
      where event_type in ('LoanRecorded', 'StakeRecorded') order by transaction_id, position`.execute(db)
  ).rows;
  const loans = { loans: 0, households: new Set<string>(), principalFen: 0, byUse: {} as Record<string, number> };
  const stakes = { stakes: 0, households: new Set<string>(), investedFen: 0 };
  for (const r of rows) {
    if (r.event_type === "LoanRecorded") {
      if (String(r.summary.issuedOn) > to) continue;
      loans.loans += 1;
      loans.households.add(r.household_id);
      loans.principalFen += Number(r.summary.principalFen);
      const use = String(r.summary.use);
      loans.byUse[use] = (loans.byUse[use] ?? 0) + 1;
    } else {
      if (Number(r.summary.firstYear) > Number(to.slice(0, 4))) continue;
      stakes.stakes += 1;
      stakes.households.add(r.household_id);
      stakes.investedFen += Number(r.summary.investedFen);
    }
  }
  return {
    loans: { loans: loans.loans, households: loans.households.size, principalFen: loans.principalFen, byUse: loans.byUse },
    stakes: { stakes: stakes.stakes, households: stakes.households.size, investedFen: stakes.investedFen },
  };
}

/**
 * A flat-rate program where some households were paid more than once in the range: its average
 * per household is not its rate (the cc report's "about 600 yuan" solar figure is 654.5 for this
 * reason), so the report says so instead of letting a reader divide and wonder.
 */
function footnotes(programs: readonly ProgramVillageFigures[], payments: readonly PaymentLine[]): string[] {
  const notes: string[] = [];
  for (const total of programs.filter((p) => p.villageId === null && p.persons === 0 && p.payments > p.households)) {
    const own = payments.filter((p) => p.program_id === total.programId);
    const amounts = new Set(own.map((p) => Number(p.amount_fen)));
    if (amounts.size !== 1) continue;
    const perHousehold = new Map<string, number>();
    for (const p of own) perHousehold.set(p.household_id, (perHousehold.get(p.household_id) ?? 0) + 1);
    const repeated = [...perHousehold.values()].filter((n) => n > 1).length;
    const rate = own[0] ? Number(own[0].amount_fen) : 0;
    notes.push(
      `${total.programName ?? total.programId}: ${total.households} 户 ${total.payments} 笔，每笔 ${yuan(rate)} 元，户均 ${yuan(Math.round(total.amountFen / total.households))} 元 — ` +
        `${repeated} 户领取了不止一期（补发）。 ${total.households} households, ${total.payments} payments of ${yuan(rate)} yuan: the average per household is not the rate because ${repeated} households were paid for more than one period (arrears).`,
    );
  }
  return notes;
}

/** Fen as yuan with two decimals, by integer arithmetic (no float ever formats money). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
