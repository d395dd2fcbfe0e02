import { CalendarDate } from "@aidtrail/domain";
import { summaryReport } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { HttpProblem } from "../../problems/problem.js";
import { problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";
import { REPORT_CONTENT_TYPES, REPORT_FORMATS, reportCsv, reportXlsx } from "../../reports/summary-report-formats.js";

const Query = z.strictObject({
  from: CalendarDate.describe("first payment date, inclusive"),
  to: CalendarDate.describe("last payment date, inclusive; the registry is as of this date"),
  format: z.enum(REPORT_FORMATS).default("json"),
});
const Figures = z.object({ households: z.int(), persons: z.int() });
const Report = z.object({
  from: z.string(),
  to: z.string(),
  programs: z.array(
    z.object({
      programId: z.string(),
      programName: z.string().nullable(),
      kind: z.string().nullable(),
      villageId: z.string().nullable().describe("null: all villages"),
      households: z.int(),
      persons: z.int(),
      payments: z.int(),
      amountFen: z.int(),
    }),
  ),
  breakdowns: z.array(z.object({ programId: z.string(), dimension: z.enum(["renovationType", "schoolLevel"]), value: z.string(), count: z.int(), amountFen: z.int() })),
  registry: z.array(
    z.object({
      villageId: z.string().nullable(),
      registeredHouseholds: z.int(),
      registeredPersons: z.int(),
      enrolled: Figures,
      plannedExit: Figures,
      exited: Figures,
      causes: z.record(z.string(), z.int()),
    }),
  ),
  assets: z.object({
    loans: z.object({ loans: z.int(), households: z.int(), principalFen: z.int(), byUse: z.record(z.string(), z.int()) }),
    stakes: z.object({ stakes: z.int(), households: z.int(), investedFen: z.int() }),
  }),
  footnotes: z.array(z.string()),
});

/** GET /v1/reports/summary (auditor, admin): the half-year report's table as JSON, CSV or XLSX. */
export const getSummaryReportRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/reports/summary",
    {
      schema: {
        tags: ["reports"],
        summary: "Summary per program and village over a date range, with the registry (JSON, CSV or XLSX, Chinese labels)",
        querystring: Query,
        response: { 200: Report.describe("format=json; csv and xlsx are files with Chinese labels"), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { from, to, format } = request.query;
      if (from > to) throw new HttpProblem(400, "range_invalid", "Range invalid", `from ${from} is after to ${to}`);
      const report = await summaryReport(db, { from, to });
      if (format === "json") return report;
      const name = `summary-${from}-${to}.${format}`;
      reply.header("content-type", REPORT_CONTENT_TYPES[format]).header("content-disposition", `attachment; filename="${name}"`);
      // A file, not the JSON schema: fastify sends strings and buffers as they are, unserialised.
      return reply.send((format === "csv" ? reportCsv(report) : await reportXlsx(report)) as never);
    },
  );
};
