import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { RouteDeps } from "../schemas/common.js";
import type { ReadDeps } from "../schemas/read-deps.js";
import { getAnomaliesRoute } from "./anomalies/get-anomalies.js";
import { getDisbursementRoute } from "./disbursements/get-disbursement.js";
import { getHouseholdFileRoute } from "./households/get-household-file.js";
import { getHouseholdRoute } from "./households/get-household.js";
import { getSummaryReportRoute } from "./reports/get-summary-report.js";
import { getLoanScheduleRoute } from "./loans/get-loan-schedule.js";
import { getProgramBudgetRoute } from "./programs/get-program-budget.js";
import { getDividendScheduleRoute } from "./schedules/get-dividend-schedule.js";
import { decideDisbursementRoutes } from "./disbursements/decide-disbursement.js";
import { recordDisbursementRoute } from "./disbursements/record-disbursement.js";
import { changeHouseholdStatusRoute } from "./households/change-household-status.js";
import { registerHouseholdRoute } from "./households/register-household.js";
import { recordLoanRoute } from "./loans/record-loan.js";
import { addAllocationRoute } from "./programs/add-allocation.js";
import { defineProgramRoute } from "./programs/define-program.js";
import { recordStakeRoute } from "./stakes/record-stake.js";
import { resumeProjectionRoute } from "./projections/resume-projection.js";
import { getVerificationSampleRoute } from "./verifications/get-verification-sample.js";
import { recordVerificationRoute } from "./verifications/record-verification.js";

/** Every /v1 route; each is listed in auth/access-matrix.ts or the app refuses to start. */
export const v1Routes: FastifyPluginAsyncZod<RouteDeps & ReadDeps> = async (app, deps) => {
  for (const route of [
    registerHouseholdRoute,
    changeHouseholdStatusRoute,
    defineProgramRoute,
    addAllocationRoute,
    recordStakeRoute,
    recordLoanRoute,
    recordDisbursementRoute,
    decideDisbursementRoutes,
    recordVerificationRoute,
  ]) {
    await app.register(route, deps);
  }
  for (const route of [getHouseholdRoute, getHouseholdFileRoute, getProgramBudgetRoute, getDisbursementRoute, getDividendScheduleRoute, getLoanScheduleRoute, getVerificationSampleRoute, getAnomaliesRoute, getSummaryReportRoute, resumeProjectionRoute]) {
    await app.register(route, deps);
  }
};
