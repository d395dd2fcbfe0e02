import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { asDomainEvents } from "../shared/domain-event.js";
import { type PaymentRowBase, foldPayments } from "../shared/payment-rows.js";
import { type ColumnTypes, upsertRows } from "../shared/sql-rows.js";

export const PROGRAM_VILLAGE_SUMMARY = "program_village_summary";

interface SummaryPaymentRow extends PaymentRowBase {
  program_id: string;
  household_id: string;
  member_id: string | null;
  period: string;
}

const paymentColumns: ColumnTypes = {
  disbursement_id: "text",
  program_id: "text",
  household_id: "text",
  member_id: "text",
  period: "text",
  amount_fen: "bigint",
  state: "text",
};

/**
 * The half-year report's table: per program × village × period, distinct households, distinct
 * persons (members paid in person: students, workers, patients), payments and amount — counted
 * payments only, net of reversals. Distinct counts are kept incrementally with per-beneficiary
 * counters, so a batch touches what it changed and never re-reads a whole group; rows that fall
 * to zero are deleted, so the tables depend on the log and not on where batches were cut.
 */
export const programVillageSummaryProjection: Projection = {
  name: PROGRAM_VILLAGE_SUMMARY,
  tables: ["summary_households", "summary_payments", "summary_household_counts", "summary_member_counts", "program_village_summary"],
  async createTables(trx: Transaction<any>) {
    await sql`create table summary_households (household_id text primary key, village_id text not null)`.execute(trx);
    await sql`
      create table summary_payments (
        disbursement_id text primary key,
        program_id text not null,
        household_id text not null,
        member_id text,
        period text not null,
        amount_fen bigint not null,
        state text not null
      )`.execute(trx);
    await sql`
      create table summary_household_counts (
        program_id text not null,
        period text not null,
        household_id text not null,
        payments int not null,
        primary key (program_id, period, household_id)
      )`.execute(trx);
    await sql`create index summary_household_counts_zero on summary_household_counts (program_id) where payments = 0`.execute(trx);
    await sql`
      create table summary_member_counts (
        program_id text not null,
        period text not null,
        member_id text not null,
        payments int not null,
        primary key (program_id, period, member_id)
      )`.execute(trx);
    await sql`create index summary_member_counts_zero on summary_member_counts (program_id) where payments = 0`.execute(trx);
    await sql`
      create table program_village_summary (
        program_id text not null,
        village_id text not null,
        period text not null,
        households int not null,
        persons int not null,
        payments int not null,
        amount_fen bigint not null,
        primary key (program_id, village_id, period)
      )`.execute(trx);
    await sql`create index program_village_summary_zero on program_village_summary (program_id) where payments = 0`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const villages = new Map<string, string>();
    const registered: object[] = [];
    for (const e of events) {
      if (e.type !== "HouseholdRegistered") continue;
      villages.set(e.data.householdId, e.data.villageId);
      registered.push({ household_id: e.data.householdId, village_id: e.data.villageId });
    }
    const { rows: payments, before } = await foldPayments<SummaryPaymentRow>(trx, "summary_payments", events, (e) => ({
      disbursement_id: e.data.disbursementId,
      program_id: e.data.programId,
      household_id: e.data.householdId,
      member_id: e.data.memberId,
      period: e.data.period,
      amount_fen: e.data.amountFen,
    }));
    const changed = payments.changed();
    const counting = changed
      .map((p) => ({ p, delta: (p.state === "counted" ? 1 : 0) - (before.get(p.disbursement_id) === "counted" ? 1 : 0) }))
      .filter((x) => x.delta !== 0);
    await upsertRows(trx, "summary_households", { household_id: "text", village_id: "text" }, registered, { key: ["household_id"], set: {} });
    await upsertRows(trx, "summary_payments", paymentColumns, changed, { key: ["disbursement_id"], set: { state: "excluded.state" } });
    if (counting.length === 0) return;

    // Per-beneficiary counters: a household (member) is counted in a group while it has a payment there.
    const householdDeltas = new Map<string, { program_id: string; period: string; household_id: string; payments: number }>();
    const memberDeltas = new Map<string, { program_id: string; period: string; member_id: string; household_id: string; payments: number }>();
    const groups = new Map<string, { program_id: string; village_id: string; period: string; households: number; persons: number; payments: number; amount_fen: number }>();
    const groupOf = (programId: string, householdId: string, period: string) => {
      const villageId = villages.get(householdId) ?? "unknown";
      const key = `${programId}\u0000${villageId}\u0000${period}`;
      let g = groups.get(key);
      if (!g) {
        g = { program_id: programId, village_id: villageId, period, households: 0, persons: 0, payments: 0, amount_fen: 0 };
        groups.set(key, g);
      }
      return g;
    };
    for (const { p, delta } of counting) {
      const hk = `${p.program_id}\u0000${p.period}\u0000${p.household_id}`;
      const h = householdDeltas.get(hk) ?? { program_id: p.program_id, period: p.period, household_id: p.household_id, payments: 0 };
      h.payments += delta;
      householdDeltas.set(hk, h);
      if (p.member_id !== null) {
        const mk = `${p.program_id}\u0000${p.period}\u0000${p.member_id}`;
        const m = memberDeltas.get(mk) ?? { program_id: p.program_id, period: p.period, member_id: p.member_id, household_id: p.household_id, payments: 0 };
        m.payments += delta;
        memberDeltas.set(mk, m);
      }
    }

    // The households' counters come back with the villages of the households registered before this
    // batch (those registered in it are known): no read of its own before them.
    // Counters and groups fall to zero only by a negative delta (a counted payment reversed):
    // without one, the deletes of zero rows would find none and are not sent.
    const mayFall = counting.some((x) => x.delta < 0);
    const villagesOf = new Set<string>();
    for (const h of householdDeltas.values()) if (!villages.has(h.household_id)) villagesOf.add(h.household_id);
    const { after: households, villages: stored } = await bumpCounters(trx, "summary_household_counts", "household_id", [...householdDeltas.values()], mayFall, [
      ...villagesOf,
    ]);
    for (const [householdId, villageId] of stored) if (!villages.has(householdId)) villages.set(householdId, villageId);
    for (const { p, delta } of counting) {
      const g = groupOf(p.program_id, p.household_id, p.period);
      g.payments += delta;
      g.amount_fen += delta * Number(p.amount_fen);
    }
    for (const h of householdDeltas.values()) {
      const after = households.get(`${h.program_id}\u0000${h.period}\u0000${h.household_id}`) ?? 0;
      groupOf(h.program_id, h.household_id, h.period).households += presence(after - h.payments, after);
    }
    const { after: members } = await bumpCounters(trx, "summary_member_counts", "member_id", [...memberDeltas.values()], mayFall);
    for (const m of memberDeltas.values()) {
      const after = members.get(`${m.program_id}\u0000${m.period}\u0000${m.member_id}`) ?? 0;
      groupOf(m.program_id, m.household_id, m.period).persons += presence(after - m.payments, after);
    }

    const add = (c: string) => `program_village_summary.${c} + excluded.${c}`;
    await upsertRows(
      trx,
      "program_village_summary",
      { program_id: "text", village_id: "text", period: "text", households: "int", persons: "int", payments: "int", amount_fen: "bigint" },
      [...groups.values()],
      { key: ["program_id", "village_id", "period"], set: { households: add("households"), persons: add("persons"), payments: add("payments"), amount_fen: add("amount_fen") } },
    );
    if (mayFall) await sql`delete from program_village_summary where payments = 0`.execute(trx);
  },
};

/** +1 when a beneficiary enters a group (0 → n), −1 when it leaves (n → 0). */
function presence(before: number, after: number): number {
  return (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
}

/**
 * Adds the deltas to the counters in one statement and returns the counts after, by key, and
 * the village of each stored household of `villagesOf`; deletes the counters at zero when a
 * delta may have brought one there (`mayFall`). The villages come in the same result, one row a
 * household read by its key, instead of a subquery per counter row (a household has a counter
 * per program and period: PostgreSQL 3 µs per counter row, against ~1 µs per household).
 */
async function bumpCounters(
  trx: Transaction<any>,
  table: "summary_household_counts" | "summary_member_counts",
  idColumn: "household_id" | "member_id",
  deltas: ReadonlyArray<{ program_id: string; period: string; payments: number } & Record<string, unknown>>,
  mayFall: boolean,
  villagesOf: readonly string[] = [],
): Promise<{ after: Map<string, number>; villages: Map<string, string> }> {
  const after = new Map<string, number>();
  const villages = new Map<string, string>();
  if (deltas.length === 0) return { after, villages };
  const villageRows =
    villagesOf.length === 0
      ? sql``
      : sql`union all select null, null, household_id, null, village_id from summary_households where household_id = any(${villagesOf}::text[])`;
  const { rows: out } = await sql<{ program_id: string | null; period: string; id: string; payments: number; village_id: string | null }>`
    with bumped as (
      insert into ${sql.id(table)} as c (program_id, period, ${sql.id(idColumn)}, payments)
      select r.program_id, r.period, r.id, r.payments
      from unnest(${deltas.map((d) => d.program_id)}::text[], ${deltas.map((d) => d.period)}::text[],
                  ${deltas.map((d) => d[idColumn] as string)}::text[], ${deltas.map((d) => d.payments)}::int[]) as r(program_id, period, id, payments)
      on conflict (program_id, period, ${sql.id(idColumn)}) do update set payments = c.payments + excluded.payments
      returning program_id, period, ${sql.id(idColumn)} as id, payments)
    select program_id, period, id, payments, null::text as village_id from bumped
    ${villageRows}`.execute(trx);
  for (const r of out) {
    if (r.program_id === null) villages.set(r.id, r.village_id as string);
    else after.set(`${r.program_id}\u0000${r.period}\u0000${r.id}`, r.payments);
  }
  if (mayFall) await sql`delete from ${sql.id(table)} where payments = 0`.execute(trx);
  return { after, villages };
}
