import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { RouteDeps } from "../schemas/common.js";
import { decideDisbursementRoutes } from "./disbursements/decide-disbursement.js";
import { recordDisbursementRoute } from "./disbursements/record-disbursement.js";
import { changeHouseholdStatusRoute } from "./households/change-household-status.js";
import { registerHouseholdRoute } from "./households/register-household.js";
import { recordLoanRoute } from "./loans/record-loan.js";
import { addAllocationRoute } from "./programs/add-allocation.js";
import { defineProgramRoute } from "./programs/define-program.js";
import { recordStakeRoute } from "./stakes/record-stake.js";

/** Every /v1 route; each is listed in auth/access-matrix.ts or the app refuses to start. */
export const v1Routes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  for (const route of [
    registerHouseholdRoute,
    changeHouseholdStatusRoute,
    defineProgramRoute,
    addAllocationRoute,
    recordStakeRoute,
    recordLoanRoute,
    recordDisbursementRoute,
    decideDisbursementRoutes,
  ]) {
    await app.register(route, deps);
  }
};
