import { CalendarDate, Granularity, Id } from "@aidtrail/domain";
import { loanSchedule } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../problems/problem.js";
import { IdParams, problemResponses } from "../../schemas/common.js";
import { type ReadDeps, todayInChina } from "../../schemas/read-deps.js";

const Query = z.strictObject({
  asOf: CalendarDate.optional().describe("the date due/overdue is judged on; default today in China"),
  granularity: Granularity.exclude(["one_off"]).optional().describe("how interest-subsidy periods are cut; default as paid so far"),
});
const Payment = z.object({ period: z.string(), dueOn: z.string(), amountFen: z.int(), status: z.enum(["due", "paid", "overdue"]), paidBy: z.string().nullable() });
const SubsidyPeriod = Payment.extend({ from: z.string(), to: z.string(), days: z.int(), interestFen: z.int() });
const LoanScheduleView = z.object({
  loanId: Id,
  householdId: z.string(),
  asOf: z.string(),
  maturesOn: z.string(),
  granularity: z.string(),
  loan: z.object({
    principalFen: z.int(),
    annualRateBps: z.int(),
    termMonths: z.int(),
    use: z.enum(["household", "enterprise"]),
    issuedOn: z.string(),
    subsidyShareBps: z.int(),
    annualDividendFen: z.int().nullable(),
  }),
  interestSubsidy: z.array(SubsidyPeriod).describe("ACT/365 accrual per period"),
  dividends: z.array(Payment),
});

/** GET /v1/loans/{id}/schedule (all roles, in scope): interest-subsidy and dividend schedule. */
export const getLoanScheduleRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/loans/:id/schedule",
    {
      schema: {
        tags: ["assets"],
        summary: "A loan's interest-subsidy and dividend schedule",
        params: IdParams,
        querystring: Query,
        response: { 200: LoanScheduleView, ...problemResponses },
      },
    },
    async (request) => {
      const { asOf = todayInChina(), granularity } = request.query;
      const view = await loanSchedule(db, request.params.id, { asOf, ...(granularity ? { granularity } : {}) });
      if (!view) throw notFound("loan_not_found", `loan ${request.params.id} is not recorded`);
      return {
        loanId: view.loan.loanId,
        householdId: view.loan.householdId,
        asOf,
        maturesOn: view.maturesOn,
        granularity: view.granularity,
        loan: view.loan,
        interestSubsidy: view.interestSubsidy,
        dividends: view.dividends,
      };
    },
  );
};
