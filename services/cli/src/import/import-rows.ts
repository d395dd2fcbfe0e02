import { CalendarDate, DisbursementRequest, Health, Id, PovertyCause, Relation, SchoolLevel } from "@aidtrail/domain";
import { z } from "zod";
import type { TableRow } from "./read-table.js";

/** A row-level error: file line, column (header name) and message. */
export interface RowError {
  line: number;
  column: string;
  message: string;
}

/** What the import sends: one request body per id, with the lines it came from. */
export interface ImportItem {
  id: string;
  lines: number[];
  body: Record<string, unknown>;
}

const integer = (column: string) => (v: string) => (/^-?\d+$/.test(v) ? Number(v) : { error: `${column} must be an integer (fen), got "${v}"` });
const optional = (v: string) => (v === "" ? undefined : v);

/** Validates every row before anything is sent; the first column of each zod issue path names the column. */
function check<T>(schema: z.ZodType<T>, row: TableRow, value: Record<string, unknown>, errors: RowError[], columnOf: (path: PropertyKey[]) => string): T | null {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) errors.push({ line: row.line, column: columnOf(issue.path), message: issue.message });
  return null;
}

/** Columns: disbursementId, householdId, memberId, programId, period, amountFen, paidOn, channel, reference, inputs (JSON). */
export function disbursementItems(rows: readonly TableRow[]): { items: ImportItem[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const items: ImportItem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const c = row.cells;
    const amount = integer("amountFen")(c.amountFen ?? "");
    if (typeof amount === "object") {
      errors.push({ line: row.line, column: "amountFen", message: amount.error });
      continue;
    }
    let inputs: unknown;
    if (c.inputs) {
      try {
        inputs = JSON.parse(c.inputs);
      } catch {
        errors.push({ line: row.line, column: "inputs", message: "inputs must be JSON" });
        continue;
      }
    }
    const value = {
      disbursementId: c.disbursementId,
      householdId: c.householdId,
      ...(optional(c.memberId ?? "") ? { memberId: c.memberId } : {}),
      programId: c.programId,
      period: c.period,
      amountFen: amount,
      paidOn: c.paidOn,
      channel: c.channel,
      reference: c.reference,
      ...(inputs === undefined ? {} : { inputs }),
    };
    const body = check(DisbursementRequest, row, value, errors, (p) => String(p[0] ?? "row"));
    if (!body) continue;
    const earlier = seen.get(body.disbursementId);
    if (earlier !== undefined) {
      errors.push({ line: row.line, column: "disbursementId", message: `${body.disbursementId} is already on line ${earlier}` });
      continue;
    }
    seen.set(body.disbursementId, row.line);
    items.push({ id: body.disbursementId, lines: [row.line], body: body as Record<string, unknown> });
  }
  return { items, errors };
}

const MemberRow = z.strictObject({
  householdId: Id,
  villageId: Id,
  povertyCause: PovertyCause,
  registeredOn: CalendarDate,
  bankAccount: z.string().min(8).max(40).optional(),
  memberId: Id,
  name: z.string().min(1),
  nationalId: z.string().regex(/^\d{17}[\dX]$/, "an 18-character national id"),
  birthDate: CalendarDate,
  relation: Relation,
  schoolLevel: SchoolLevel.nullable(),
  health: Health,
});

/**
 * One row per member; household columns repeat on each row and must agree. The head is the
 * member whose relation is `head` (exactly one per household).
 */
export function householdItems(rows: readonly TableRow[]): { items: ImportItem[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const groups = new Map<string, Array<{ line: number; m: z.infer<typeof MemberRow> }>>();
  for (const row of rows) {
    const c = row.cells;
    const value = { ...c, schoolLevel: optional(c.schoolLevel ?? "") ?? null, bankAccount: optional(c.bankAccount ?? "") };
    if (value.bankAccount === undefined) delete (value as Record<string, unknown>).bankAccount;
    const m = check(MemberRow, row, value, errors, (p) => String(p[0] ?? "row"));
    if (!m) continue;
    const list = groups.get(m.householdId) ?? [];
    list.push({ line: row.line, m });
    groups.set(m.householdId, list);
  }
  const items: ImportItem[] = [];
  for (const [householdId, members] of groups) {
    const first = members[0]!.m;
    for (const { line, m } of members.slice(1)) {
      for (const k of ["villageId", "povertyCause", "registeredOn", "bankAccount"] as const) {
        if (m[k] !== first[k]) errors.push({ line, column: k, message: `${k} differs from line ${members[0]!.line} of household ${householdId}` });
      }
    }
    const heads = members.filter((x) => x.m.relation === "head");
    if (heads.length !== 1) {
      errors.push({ line: members[0]!.line, column: "relation", message: `household ${householdId} has ${heads.length} heads, needs exactly one` });
      continue;
    }
    items.push({
      id: householdId,
      lines: members.map((x) => x.line),
      body: {
        householdId,
        villageId: first.villageId,
        headMemberId: heads[0]!.m.memberId,
        members: members.map(({ m }) => ({ memberId: m.memberId, name: m.name, nationalId: m.nationalId, birthDate: m.birthDate, relation: m.relation, schoolLevel: m.schoolLevel, health: m.health })),
        povertyCause: first.povertyCause,
        registeredOn: first.registeredOn,
        ...(first.bankAccount ? { bankAccount: first.bankAccount } : {}),
      },
    });
  }
  return { items, errors: errors.sort((a, b) => a.line - b.line) };
}
