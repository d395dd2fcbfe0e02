import { CalendarDate, Id } from "@aidtrail/domain";
import { anomalies, anomalyRules } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../schemas/common.js";
import { type ReadDeps, todayInChina } from "../../schemas/read-deps.js";

/** Default N of "never verified after N days": half a year, the report's own cycle. */
export const DEFAULT_UNVERIFIED_AFTER_DAYS = 180;

const Rule = z.enum(anomalyRules);
const Query = z.strictObject({
  asOf: CalendarDate.optional().describe("the date time-based rules are judged on; default today in China"),
  unverifiedAfterDays: z.coerce.number().int().min(0).max(3_650).default(DEFAULT_UNVERIFIED_AFTER_DAYS),
  villageId: Id.optional().describe("required for a village-scoped caller"),
  rule: Rule.optional(),
  includeResolved: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});
const Anomaly = z.object({
  anomalyId: z.string(),
  rule: Rule,
  status: z.enum(["open", "resolved"]),
  villageId: z.string().nullable(),
  householdId: z.string().nullable(),
  disbursementId: z.string().nullable(),
  programId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  positions: z.array(z.string()).describe("global positions of the events behind it, oldest first"),
  openedPosition: z.string().nullable().describe("null for time-based rules, judged as of asOf"),
  resolvedPosition: z.string().nullable(),
});
const Answer = z.object({ asOf: z.string(), unverifiedAfterDays: z.int(), anomalies: z.array(Anomaly) });

/** GET /v1/anomalies (auditor, inspector): what the anomaly rules find, with the events behind each. */
export const getAnomaliesRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/anomalies",
    { schema: { tags: ["anomalies"], summary: "Anomalies: duplicates, breaches, ineligible payees, shared accounts, overdue dividends, disputed and unverified payments", querystring: Query, response: { 200: Answer, ...problemResponses } } },
    async (request) => {
      const { asOf = todayInChina(), unverifiedAfterDays, villageId, rule, includeResolved } = request.query;
      const found = await anomalies(db, { asOf, unverifiedAfterDays, includeResolved, ...(villageId ? { villageId } : {}), ...(rule ? { rule } : {}) });
      return { asOf, unverifiedAfterDays, anomalies: found };
    },
  );
};
