import type { Role } from "@aidtrail/domain";
import { accessMatrix, type RouteKey } from "../auth/access-matrix.js";
import { fixtures } from "./fixtures.js";
import { SWEEP } from "./sweep-checks.js";

/** A request every schema accepts, aimed at the data `seedSweepData` wrote. */
export interface ValidRequest {
  key: RouteKey;
  method: "GET" | "POST";
  url: string;
  body?: Record<string, unknown>;
  /** A role the route allows. */
  role: Role;
}

const { household, program, disbursement, loan } = SWEEP;

const requests: Record<RouteKey, { url: string; body?: Record<string, unknown> }> = {
  "POST /v1/households": { url: "/v1/households", body: fixtures.household("h-sweep", SWEEP.village) },
  "POST /v1/households/:id/status": { url: `/v1/households/${household}/status`, body: { status: "pre_exit", reason: "sweep", effectiveOn: "2024-01-01" } },
  "GET /v1/households/:id": { url: `/v1/households/${household}` },
  "GET /v1/households/:id/file": { url: `/v1/households/${household}/file` },
  "POST /v1/programs": { url: "/v1/programs", body: fixtures.program("prog-sweep") },
  "POST /v1/programs/:id/allocations": { url: `/v1/programs/${program}/allocations`, body: fixtures.allocation("alloc-sweep") },
  "GET /v1/programs/:id/budget": { url: `/v1/programs/${program}/budget` },
  "POST /v1/stakes": { url: "/v1/stakes", body: fixtures.stake("stake-sweep", household) },
  "POST /v1/loans": { url: "/v1/loans", body: fixtures.loan("loan-sweep", household) },
  "GET /v1/loans/:id/schedule": { url: `/v1/loans/${loan}/schedule` },
  "GET /v1/schedules/dividends": { url: `/v1/schedules/dividends?householdId=${household}` },
  "POST /v1/disbursements": { url: "/v1/disbursements", body: fixtures.disbursement("d-sweep", household, program, 50) },
  "GET /v1/disbursements/:id": { url: `/v1/disbursements/${disbursement}` },
  "GET /v1/disbursements/:id/receipt": { url: `/v1/disbursements/${disbursement}/receipt` },
  "GET /v1/audit/checkpoint": { url: "/v1/audit/checkpoint" },
  "GET /v1/audit/proofs/inclusion": { url: "/v1/audit/proofs/inclusion?position=1" },
  "GET /v1/audit/proofs/consistency": { url: "/v1/audit/proofs/consistency?from=1&to=1" },
  "GET /v1/events": { url: "/v1/events" },
  "POST /v1/disbursements/:id/approve": { url: `/v1/disbursements/${disbursement}/approve`, body: {} },
  "POST /v1/disbursements/:id/reject": { url: `/v1/disbursements/${disbursement}/reject`, body: { reason: "sweep" } },
  "POST /v1/disbursements/:id/reversal": { url: `/v1/disbursements/${disbursement}/reversal`, body: { reason: "sweep" } },
  "POST /v1/verifications": {
    url: "/v1/verifications",
    body: { verificationId: "v-sweep", disbursementId: disbursement, outcome: "received", visitedOn: "2024-04-02", method: "home_visit", note: "" },
  },
  "GET /v1/anomalies": { url: `/v1/anomalies?villageId=${encodeURIComponent(SWEEP.village)}` },
  "GET /v1/reports/summary": { url: "/v1/reports/summary?from=2024-01-01&to=2024-06-30" },
  "GET /v1/verifications/sample": { url: `/v1/verifications/sample?seed=s&paidFrom=2024-01-01&paidTo=2024-12-31&villageId=${encodeURIComponent(SWEEP.village)}` },
  "POST /v1/projections/:name/resume": { url: "/v1/projections/anomalies/resume", body: {} },
};

/** One valid request per route of the access matrix, each with a role the route allows. */
export const validRequests: ValidRequest[] = (Object.keys(accessMatrix) as RouteKey[]).map((key) => {
  const [method] = key.split(" ") as ["GET" | "POST"];
  return { key, method, ...requests[key], role: accessMatrix[key].roles[0] as Role };
});
