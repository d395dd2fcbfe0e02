import { type RegisteredHousehold, householdEligibility } from "@aidtrail/domain";
import { type Transaction, sql } from "kysely";
import type { Projection } from "../../runtime/projection.js";
import { BatchState } from "../shared/batch-state.js";
import { type DomainRecordedEvent, asDomainEvents } from "../shared/domain-event.js";
import { type ColumnTypes, upsertRows } from "../shared/sql-rows.js";
import type { AnomalyRule } from "./anomaly-rules.js";
import { readAnomaliesBatch } from "./batch-reads.js";
import { ACCOUNT_HOUSEHOLDS, AccountHouseholdsFold, createAccountHouseholdsTable, sharedAccountAnomalyId } from "./shared-bank-accounts.js";

export const ANOMALIES = "anomalies";

interface StatusEntry {
  to: string;
  effectiveOn: string;
  position: string;
}
interface ProgramRow {
  program_id: string;
  post_exit_months: Record<string, number>;
}
interface HouseholdRow {
  household_id: string;
  village_id: string;
  registered_on: string;
  registered_position: string | number;
  member_ids: string[];
  statuses: StatusEntry[];
}
export type PaymentState = "initiated" | "pending" | "counted" | "rejected" | "reversed" | "refused";
interface PaymentRow {
  disbursement_id: string;
  household_id: string;
  member_id: string | null;
  program_id: string;
  period: string;
  dup_key: string | null;
  amount_fen: number;
  paid_on: string;
  rule_version: number | null;
  state: PaymentState;
  initiated_position: string | number;
  recorded_position: string | number | null;
  verified_position: string | number | null;
}
interface AnomalyRow {
  anomaly_id: string;
  rule: AnomalyRule;
  village_id: string | null;
  household_id: string | null;
  disbursement_id: string | null;
  program_id: string | null;
  details: Record<string, unknown>;
  positions: string[];
  opened_position: string | number;
  resolved_position: string | number | null;
}

const householdColumns: ColumnTypes = { household_id: "text", village_id: "text", registered_on: "date", registered_position: "bigint", member_ids: "jsonb", statuses: "jsonb" };
const paymentColumns: ColumnTypes = {
  disbursement_id: "text",
  household_id: "text",
  member_id: "text",
  program_id: "text",
  period: "text",
  dup_key: "text",
  amount_fen: "bigint",
  paid_on: "date",
  rule_version: "int",
  state: "text",
  initiated_position: "bigint",
  recorded_position: "bigint",
  verified_position: "bigint",
};
const anomalyColumns: ColumnTypes = {
  anomaly_id: "text",
  rule: "text",
  village_id: "text",
  household_id: "text",
  disbursement_id: "text",
  program_id: "text",
  details: "jsonb",
  positions: "jsonb",
  opened_position: "bigint",
  resolved_position: "bigint",
};

/** Refusal codes that are anomalies in themselves: someone tried to pay what the rules forbid. */
const REFUSAL_RULES: Record<string, AnomalyRule> = {
  cap_exceeded: "cap_breach",
  budget_exceeded: "budget_overrun_attempt",
  household_not_found: "ineligible_household",
  household_not_eligible: "ineligible_household",
  member_not_in_household: "member_not_in_household",
};

/** What "the same payment twice" means: the slot key, or for slot-less medical aid the claim. */
function dupKeyOf(e: Extract<DomainRecordedEvent, { type: "DisbursementRecorded" }>): string {
  if (e.data.slotKey !== null) return e.data.slotKey;
  const claim = (e.data.inputs as { claimId?: unknown }).claimId;
  return `${e.data.programId}:${e.data.memberId ?? e.data.householdId}:${e.data.period}:${typeof claim === "string" ? claim : ""}`;
}

/**
 * 异常: the event-driven anomaly rules, folded in global order with the facts they need
 * (households and their status history, payments, programs' post-exit support, bank accounts).
 * An anomaly is opened by the event that shows it and resolved (never deleted) by the event
 * that settles it — a reversal, a closed case, a later status change — so the table is the same
 * however the log is cut into batches. Time-based rules are in queries.ts.
 */
export const anomaliesProjection: Projection = {
  name: ANOMALIES,
  tables: ["an_programs", "an_households", ACCOUNT_HOUSEHOLDS, "an_payments", "an_assets", "anomalies"],
  async createTables(trx: Transaction<any>) {
    await sql`create table an_programs (program_id text primary key, post_exit_months jsonb not null)`.execute(trx);
    await sql`
      create table an_households (
        household_id text primary key, village_id text not null, registered_on date not null,
        registered_position bigint not null, member_ids jsonb not null, statuses jsonb not null)`.execute(trx);
    await createAccountHouseholdsTable(trx);
    await sql`
      create table an_payments (
        disbursement_id text primary key, household_id text not null, member_id text, program_id text not null,
        period text not null, dup_key text, amount_fen bigint not null, paid_on date not null, rule_version int,
        state text not null, initiated_position bigint not null, recorded_position bigint, verified_position bigint)`.execute(trx);
    await sql`create index an_payments_household on an_payments (household_id)`.execute(trx);
    await sql`create index an_payments_dup_key on an_payments (dup_key)`.execute(trx);
    await sql`create index an_payments_unverified on an_payments (paid_on) where state = 'counted' and verified_position is null`.execute(trx);
    await sql`create table an_assets (source_id text primary key, source text not null, household_id text not null, position bigint not null)`.execute(trx);
    await sql`
      create table anomalies (
        anomaly_id text primary key, rule text not null, village_id text, household_id text, disbursement_id text,
        program_id text, details jsonb not null, positions jsonb not null, opened_position bigint not null, resolved_position bigint)`.execute(trx);
    await sql`create index anomalies_rule on anomalies (rule, opened_position)`.execute(trx);
  },
  async applyBatch(trx, batch) {
    const events = asDomainEvents(batch);
    const changedPrograms = new Set<string>();
    const households = new BatchState<HouseholdRow>();
    // Payment rows are this batch's own (made here or read for it): steps set their columns in place.
    const payments = new BatchState<PaymentRow>();
    const anomalies = new BatchState<AnomalyRow>();
    const assets: object[] = [];

    // Preload, in one statement (see readAnomaliesBatch): payments named by id, their households
    // and every payment sharing a duplicate key or a household whose status changes, the anomalies they own.
    const paymentIds = new Set<string>();
    const householdIds = new Set<string>();
    const dupKeys = new Set<string>();
    const statusHouseholds = new Set<string>();
    const sharedAccounts = new Set<string>();
    // Each bank account's shared-account anomaly id (a SHA-256 of its blind index), hashed once a batch.
    const accountAnomalyIds = new Map<string, string>();
    // A payment's first event is its DisbursementInitiated: one initiated in this batch has no
    // row to read yet, nor anomalies of its own.
    const initiatedHere = new Set<string>();
    const named = (id: string) => {
      if (!initiatedHere.has(id)) paymentIds.add(id);
    };
    for (const e of events) {
      switch (e.type) {
        case "DisbursementInitiated":
          initiatedHere.add(e.data.request.disbursementId);
          householdIds.add(e.data.request.householdId);
          break;
        case "DisbursementRecorded":
          named(e.data.disbursementId);
          dupKeys.add(dupKeyOf(e));
          break;
        case "DisbursementRefused":
        case "DisbursementApproved":
        case "DisbursementRejected":
        case "DisbursementReversed":
        case "VerificationRecorded":
        case "CaseOpened":
        case "CaseClosed":
          named(e.data.disbursementId);
          break;
        case "HouseholdStatusChanged":
          statusHouseholds.add(e.data.householdId);
          householdIds.add(e.data.householdId);
          break;
        case "MemberAdded":
          householdIds.add(e.data.householdId);
          break;
        case "HouseholdRegistered":
          if (e.data.bankAccount) {
            const anomalyId = sharedAccountAnomalyId(e.data.bankAccount.blindIndex);
            accountAnomalyIds.set(e.data.bankAccount.blindIndex, anomalyId);
            sharedAccounts.add(anomalyId);
          }
          break;
        default:
          break;
      }
    }
    const anomalyIds = new Set<string>();
    for (const e of events) if (e.type === "CaseClosed") anomalyIds.add(`payment_disputed:${e.data.disbursementId}:${e.data.caseId}`);
    const read = await readAnomaliesBatch<ProgramRow, PaymentRow, HouseholdRow, AnomalyRow>(trx, { paymentIds, dupKeys, statusHouseholds, householdIds, anomalyIds });
    const programs = new Map<string, Record<string, number>>();
    for (const r of read.programs) programs.set(r.program_id, r.post_exit_months);
    // The batch's payments of each household, for a status change to re-judge (ids in first-seen order).
    const paymentsOfHousehold = new Map<string, string[]>();
    const seePayment = (p: PaymentRow) => {
      const ids = paymentsOfHousehold.get(p.household_id);
      if (ids) ids.push(p.disbursement_id);
      else paymentsOfHousehold.set(p.household_id, [p.disbursement_id]);
    };
    for (const list of [read.paymentsById, read.paymentsByDupKey, read.paymentsByHousehold]) {
      for (const r of list) {
        if (payments.rows.has(r.disbursement_id)) continue;
        payments.load(r.disbursement_id, r);
        seePayment(r);
      }
    }
    for (const r of read.households) households.load(r.household_id, r);
    for (const r of read.anomalies) anomalies.load(r.anomaly_id, r);
    const accounts = await AccountHouseholdsFold.load(trx, sharedAccounts);

    // Counted payments per duplicate key, kept as the fold goes so "twice at once" is seen in order.
    const countedByKey = new Map<string, Set<string>>();
    for (const p of payments.rows.values()) {
      if (p.dup_key === null || p.state !== "counted") continue;
      const set = countedByKey.get(p.dup_key) ?? new Set();
      set.add(p.disbursement_id);
      countedByKey.set(p.dup_key, set);
    }

    const villageOf = (householdId: string) => households.get(householdId)?.village_id ?? null;
    const open = (row: Omit<AnomalyRow, "resolved_position" | "opened_position">, position: string) => {
      const existing = anomalies.get(row.anomaly_id);
      if (existing && existing.resolved_position === null) {
        // Still open: only the evidence grows (a third duplicate, a third household on one account).
        anomalies.set(row.anomaly_id, { ...existing, positions: row.positions, details: row.details });
        return;
      }
      anomalies.set(row.anomaly_id, { ...row, opened_position: position, resolved_position: null });
    };
    const resolve = (anomalyId: string, position: string) => {
      const existing = anomalies.get(anomalyId);
      if (existing && existing.resolved_position === null) anomalies.set(anomalyId, { ...existing, resolved_position: position, positions: [...existing.positions, position] });
    };
    const paymentRef = (p: PaymentRow) => ({ disbursement_id: p.disbursement_id, household_id: p.household_id, village_id: villageOf(p.household_id), program_id: p.program_id });

    /** Re-judges a counted payment's household eligibility against the status history known now. */
    const judgeEligibility = (p: PaymentRow, position: string) => {
      const id = `ineligible_household:${p.disbursement_id}`;
      if (p.state !== "counted") return;
      const h = households.get(p.household_id);
      const postExit = programs.get(p.program_id)?.[String(p.rule_version)] ?? 0;
      const verdict = h ? eligibilityOf(h, p.paid_on, postExit) : { eligible: false as const, reason: "not registered", statusPosition: null };
      if (verdict.eligible) {
        resolve(id, position);
        return;
      }
      const positions = [String(p.recorded_position), ...(verdict.statusPosition === null ? [] : [verdict.statusPosition])];
      open({ anomaly_id: id, rule: "ineligible_household", ...paymentRef(p), details: { paidOn: p.paid_on, reason: verdict.reason, postExitMonths: postExit }, positions }, position);
    };
    const judgeMember = (p: PaymentRow, position: string) => {
      const h = households.get(p.household_id);
      if (p.state !== "counted" || p.member_id === null || !h || h.member_ids.includes(p.member_id)) return;
      open({ anomaly_id: `member_not_in_household:${p.disbursement_id}`, rule: "member_not_in_household", ...paymentRef(p), details: { memberId: p.member_id }, positions: [String(p.recorded_position)] }, position);
    };
    const judgeDuplicate = (key: string, position: string) => {
      const counted = countedByKey.get(key);
      const id = `duplicate_payment:${key}`;
      if (counted === undefined || counted.size < 2) {
        resolve(id, position);
        return;
      }
      const ids = [...counted].sort();
      const rows = ids.map((d) => payments.get(d) as PaymentRow);
      const first = rows[0] as PaymentRow;
      open(
        {
          anomaly_id: id,
          rule: "duplicate_payment",
          ...paymentRef(first),
          disbursement_id: null,
          details: { key, disbursementIds: ids, period: first.period, memberId: first.member_id },
          positions: rows.map((r) => String(r.recorded_position)),
        },
        position,
      );
    };
    const setCounted = (p: PaymentRow, counted: boolean) => {
      if (p.dup_key === null) return;
      const set = countedByKey.get(p.dup_key) ?? new Set();
      if (counted) set.add(p.disbursement_id);
      else set.delete(p.disbursement_id);
      countedByKey.set(p.dup_key, set);
    };

    for (const e of events) {
      const position = e.position.toString();
      switch (e.type) {
        case "ProgramDefined":
        case "ProgramRuleRevised": {
          const rule = e.data.rule;
          programs.set(e.data.programId, { ...(programs.get(e.data.programId) ?? {}), [String(rule.version)]: rule.postExitMonths });
          changedPrograms.add(e.data.programId);
          break;
        }
        case "HouseholdRegistered": {
          const d = e.data;
          households.set(d.householdId, {
            household_id: d.householdId,
            village_id: d.villageId,
            registered_on: d.registeredOn,
            registered_position: position,
            member_ids: d.members.map((m) => m.memberId),
            statuses: [],
          });
          if (d.bankAccount) {
            const anomalyId = accountAnomalyIds.get(d.bankAccount.blindIndex) ?? sharedAccountAnomalyId(d.bankAccount.blindIndex);
            const shared = accounts.register(anomalyId, d.householdId, d.villageId, position);
            // Opened by the second household and never rewritten: later ones only add their row,
            // and the households, villages and positions are listed when the anomaly is read.
            if (shared) {
              open(
                {
                  anomaly_id: anomalyId,
                  rule: "shared_bank_account",
                  village_id: shared.firstVillageId, // the others' villages are listed with it
                  household_id: null,
                  disbursement_id: null,
                  program_id: null,
                  details: { accountMasked: d.bankAccount.masked },
                  positions: [],
                },
                position,
              );
            }
          }
          break;
        }
        case "MemberAdded": {
          const h = households.get(e.data.householdId);
          if (h) households.set(h.household_id, { ...h, member_ids: [...h.member_ids, e.data.member.memberId] });
          break;
        }
        case "HouseholdStatusChanged": {
          const h = households.get(e.data.householdId);
          if (!h) break;
          households.set(h.household_id, { ...h, statuses: [...h.statuses, { to: e.data.to, effectiveOn: e.data.effectiveOn, position }] });
          // Invariant 4's after-the-fact case: a late change with an earlier effective date.
          const own = [...(paymentsOfHousehold.get(h.household_id) ?? [])].sort();
          for (const id of own) judgeEligibility(payments.get(id) as PaymentRow, position);
          break;
        }
        case "StakeRecorded":
          assets.push({ source_id: e.data.stakeId, source: "stake", household_id: e.data.householdId, position });
          break;
        case "LoanRecorded":
          assets.push({ source_id: e.data.loanId, source: "loan", household_id: e.data.householdId, position });
          break;
        case "DisbursementInitiated": {
          const r = e.data.request;
          const seen = payments.rows.has(r.disbursementId);
          payments.set(r.disbursementId, {
            disbursement_id: r.disbursementId,
            household_id: r.householdId,
            member_id: r.memberId ?? null,
            program_id: r.programId,
            period: r.period,
            dup_key: null,
            amount_fen: r.amountFen,
            paid_on: r.paidOn,
            rule_version: null,
            state: "initiated",
            initiated_position: position,
            recorded_position: null,
            verified_position: null,
          });
          if (!seen) seePayment(payments.get(r.disbursementId) as PaymentRow);
          break;
        }
        case "DisbursementRefused": {
          const p = payments.get(e.data.disbursementId);
          if (!p) break;
          p.state = "refused";
          payments.set(p.disbursement_id, p);
          const rule = REFUSAL_RULES[e.data.code];
          if (!rule) break;
          open(
            {
              anomaly_id: `${rule}:${p.disbursement_id}`,
              rule,
              ...paymentRef(p),
              details: { refused: true, code: e.data.code, message: e.data.message, requestedAmountFen: Number(p.amount_fen), memberId: p.member_id, paidOn: p.paid_on },
              positions: [String(p.initiated_position), position],
            },
            position,
          );
          break;
        }
        case "DisbursementRecorded": {
          const p = payments.get(e.data.disbursementId);
          if (!p) break;
          const counted = e.data.status === "recorded";
          p.member_id = e.data.memberId;
          p.period = e.data.period;
          p.amount_fen = e.data.amountFen;
          p.rule_version = e.data.ruleVersion;
          p.dup_key = dupKeyOf(e);
          p.state = counted ? "counted" : "pending";
          p.recorded_position = position;
          payments.set(p.disbursement_id, p);
          if (counted) afterCounted(p, position);
          break;
        }
        case "DisbursementApproved": {
          const p = payments.get(e.data.disbursementId);
          if (!p || p.state !== "pending") break;
          p.state = "counted";
          payments.set(p.disbursement_id, p);
          afterCounted(p, position);
          break;
        }
        case "DisbursementRejected": {
          const p = payments.get(e.data.disbursementId);
          if (!p || p.state !== "pending") break;
          p.state = "rejected";
          payments.set(p.disbursement_id, p);
          break;
        }
        case "DisbursementReversed": {
          const p = payments.get(e.data.disbursementId);
          if (!p || p.state !== "counted") break;
          p.state = "reversed";
          payments.set(p.disbursement_id, p);
          setCounted(p, false);
          if (p.dup_key !== null) judgeDuplicate(p.dup_key, position);
          // The money was taken back: what was wrong with paying it is settled.
          resolve(`ineligible_household:${p.disbursement_id}`, position);
          resolve(`member_not_in_household:${p.disbursement_id}`, position);
          break;
        }
        case "VerificationRecorded": {
          const p = payments.get(e.data.disbursementId);
          if (!p || p.verified_position !== null) break;
          p.verified_position = position;
          payments.set(p.disbursement_id, p);
          break;
        }
        case "CaseOpened": {
          const p = payments.get(e.data.disbursementId);
          const ref = p
            ? paymentRef(p)
            : { disbursement_id: e.data.disbursementId, household_id: e.data.householdId, village_id: villageOf(e.data.householdId), program_id: null };
          open(
            {
              anomaly_id: `payment_disputed:${e.data.disbursementId}:${e.data.caseId}`,
              rule: "payment_disputed",
              ...ref,
              details: { caseId: e.data.caseId, reason: e.data.reason, openedOn: e.data.openedOn, verificationId: e.data.verificationId },
              positions: [...(p?.recorded_position == null ? [] : [String(p.recorded_position)]), position],
            },
            position,
          );
          break;
        }
        case "CaseClosed":
          resolve(`payment_disputed:${e.data.disbursementId}:${e.data.caseId}`, position);
          break;
        default:
          break;
      }
    }

    function afterCounted(p: PaymentRow, position: string) {
      setCounted(p, true);
      if (p.dup_key !== null) judgeDuplicate(p.dup_key, position);
      judgeEligibility(p, position);
      judgeMember(p, position);
    }

    await upsertRows(
      trx,
      "an_programs",
      { program_id: "text", post_exit_months: "jsonb" },
      [...changedPrograms].sort().map((id) => ({ program_id: id, post_exit_months: programs.get(id) })),
      { key: ["program_id"], set: "all" },
    );
    await upsertRows(trx, "an_households", householdColumns, households.changed(), { key: ["household_id"], set: "all" });
    await accounts.write(trx);
    await upsertRows(trx, "an_payments", paymentColumns, payments.changed(), { key: ["disbursement_id"], set: "all" });
    await upsertRows(trx, "an_assets", { source_id: "text", source: "text", household_id: "text", position: "bigint" }, assets, { key: ["source_id"], set: {} });
    await upsertRows(trx, "anomalies", anomalyColumns, anomalies.changed(), { key: ["anomaly_id"], set: "all" });
  },
};

/**
 * Eligibility on `paidOn` by the status history known now, with the status change in force. The
 * change in force is statusOn's: the latest effective date not after `paidOn`, recording order on
 * ties (dates are "YYYY-MM-DD", so text order is date order). householdEligibility is given that
 * change alone, which it judges exactly as the whole history (statusOn picks it from either), instead
 * of mapping, filtering and sorting the history once here and once there for every counted payment.
 */
function eligibilityOf(h: HouseholdRow, paidOn: string, postExitMonths: number): { eligible: true } | { eligible: false; reason: string; statusPosition: string | null } {
  let inForce: StatusEntry | undefined;
  for (const s of h.statuses) if (s.effectiveOn <= paidOn && (inForce === undefined || s.effectiveOn >= inForce.effectiveOn)) inForce = s;
  const household = {
    registeredOn: h.registered_on,
    statusHistory: inForce === undefined ? [] : [{ to: inForce.to, effectiveOn: inForce.effectiveOn }],
  } as unknown as RegisteredHousehold;
  const verdict = householdEligibility(household, paidOn, postExitMonths);
  if (verdict.eligible) return { eligible: true };
  return { eligible: false, reason: verdict.reason, statusPosition: inForce?.position ?? null };
}
