import { CalendarDate, Id } from "@aidtrail/domain";
import { dividendSchedule } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../schemas/common.js";
import { type ReadDeps, todayInChina } from "../../schemas/read-deps.js";

const ScheduleStatus = z.enum(["due", "paid", "overdue"]);
const Query = z.strictObject({
  householdId: Id.optional().describe("required for a village-scoped caller"),
  status: ScheduleStatus.optional(),
  asOf: CalendarDate.optional().describe("the date due/overdue is judged on; default today in China"),
});
const Entry = z.object({
  source: z.enum(["stake", "loan"]),
  sourceId: z.string(),
  householdId: z.string(),
  enterprise: z.string().nullable(),
  year: z.int(),
  period: z.string(),
  dueOn: z.string(),
  amountFen: z.int(),
  status: ScheduleStatus,
  paidBy: z.string().nullable(),
});
const Schedule = z.object({ asOf: z.string(), dividends: z.array(Entry) });

/** GET /v1/schedules/dividends (all roles): dividends due, paid and overdue. */
export const getDividendScheduleRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/schedules/dividends",
    { schema: { tags: ["schedules"], summary: "Dividends due, paid and overdue", querystring: Query, response: { 200: Schedule, ...problemResponses } } },
    async (request) => {
      const { householdId, status, asOf = todayInChina() } = request.query;
      const entries = await dividendSchedule(db, { asOf, ...(householdId ? { householdId } : {}), ...(status ? { status } : {}) });
      return { asOf, dividends: status ? entries.filter((e) => e.status === status) : entries };
    },
  );
};
