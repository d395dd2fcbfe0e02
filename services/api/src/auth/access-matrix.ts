import type { Role } from "@aidtrail/domain";

/** Where a request names the thing whose village decides the scope check. */
export type Source = "params" | "body" | "query";

/**
 * How a route's scope is checked for a village-scoped caller (a township caller passes every check):
 * - `any`: township-wide data every scope may read (a program's budget);
 * - `township`: only a township-scoped caller (defining programs and budgets);
 * - `village`: the request names the village itself;
 * - `household` / `disbursement` / `loan`: the request names one, whose household's village must match.
 */
export type ScopeRule =
  | { kind: "any" }
  | { kind: "township" }
  | { kind: "village" | "household" | "disbursement" | "loan"; from: Source; field: string; optional?: true };

export interface RouteAccess {
  roles: readonly Role[];
  scope: ScopeRule;
}

export const ALL_ROLES: readonly Role[] = ["officer", "approver", "auditor", "inspector", "admin"];

/**
 * Who may call what (SPEC.md, "API"): one table, keyed by fastify's method and route pattern.
 * A /v1 route missing here refuses to start, so nothing is reachable by omission.
 */
export const accessMatrix = {
  "POST /v1/households": { roles: ["officer"], scope: { kind: "village", from: "body", field: "villageId" } },
  "POST /v1/households/:id/status": { roles: ["officer"], scope: { kind: "household", from: "params", field: "id" } },
  "GET /v1/households/:id": { roles: ALL_ROLES, scope: { kind: "household", from: "params", field: "id" } },
  "GET /v1/households/:id/file": { roles: ["officer", "auditor", "inspector"], scope: { kind: "household", from: "params", field: "id" } },
  "POST /v1/programs": { roles: ["admin"], scope: { kind: "township" } },
  "POST /v1/programs/:id/allocations": { roles: ["admin"], scope: { kind: "township" } },
  "GET /v1/programs/:id/budget": { roles: ALL_ROLES, scope: { kind: "any" } },
  "POST /v1/stakes": { roles: ["officer"], scope: { kind: "household", from: "body", field: "householdId" } },
  "POST /v1/loans": { roles: ["officer"], scope: { kind: "household", from: "body", field: "householdId" } },
  "GET /v1/loans/:id/schedule": { roles: ALL_ROLES, scope: { kind: "loan", from: "params", field: "id" } },
  "GET /v1/schedules/dividends": { roles: ALL_ROLES, scope: { kind: "household", from: "query", field: "householdId", optional: true } },
  "POST /v1/disbursements": { roles: ["officer"], scope: { kind: "household", from: "body", field: "householdId" } },
  "GET /v1/disbursements/:id": { roles: ALL_ROLES, scope: { kind: "disbursement", from: "params", field: "id" } },
  "GET /v1/disbursements/:id/receipt": { roles: ALL_ROLES, scope: { kind: "disbursement", from: "params", field: "id" } },
  "GET /v1/audit/checkpoint": { roles: ALL_ROLES, scope: { kind: "any" } },
  "GET /v1/audit/proofs/inclusion": { roles: ALL_ROLES, scope: { kind: "any" } },
  "GET /v1/audit/proofs/consistency": { roles: ALL_ROLES, scope: { kind: "any" } },
  "GET /v1/events": { roles: ["auditor"], scope: { kind: "any" } },
  "POST /v1/disbursements/:id/approve": { roles: ["approver"], scope: { kind: "disbursement", from: "params", field: "id" } },
  "POST /v1/disbursements/:id/reject": { roles: ["approver"], scope: { kind: "disbursement", from: "params", field: "id" } },
  "POST /v1/disbursements/:id/reversal": { roles: ["officer"], scope: { kind: "disbursement", from: "params", field: "id" } },
  "POST /v1/verifications": { roles: ["inspector"], scope: { kind: "disbursement", from: "body", field: "disbursementId" } },
  "GET /v1/anomalies": { roles: ["auditor", "inspector"], scope: { kind: "village", from: "query", field: "villageId", optional: true } },
  "GET /v1/reports/summary": { roles: ["auditor", "admin"], scope: { kind: "township" } },
  "GET /v1/verifications/sample": { roles: ["inspector", "auditor"], scope: { kind: "village", from: "query", field: "villageId", optional: true } },
  "POST /v1/projections/:name/resume": { roles: ["admin"], scope: { kind: "township" } },
} as const satisfies Record<string, RouteAccess>;

export type RouteKey = keyof typeof accessMatrix;

/** Routes anyone may call without a token. */
export const PUBLIC_PREFIXES = ["/healthz", "/readyz", "/metrics", "/docs"] as const;

export function accessFor(method: string, url: string): RouteAccess | undefined {
  return (accessMatrix as Record<string, RouteAccess>)[`${method} ${url}`];
}
