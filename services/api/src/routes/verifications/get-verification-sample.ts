import { CalendarDate, Id, drawVerificationSample } from "@aidtrail/domain";
import { paidDisbursements } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const Query = z.strictObject({
  seed: z.string().min(1).max(128).describe("the same seed over the same payments draws the same sample"),
  perVillage: z.coerce.number().int().min(1).max(1_000).default(10),
  paidFrom: CalendarDate,
  paidTo: CalendarDate,
  villageId: Id.optional().describe("required for a village-scoped caller"),
});
const Drawn = z.object({ disbursementId: z.string(), householdId: z.string(), programId: z.string(), amountFen: z.int(), paidOn: z.string(), verifications: z.int() });
const Sample = z.object({
  seed: z.string(),
  perVillage: z.int(),
  paidFrom: z.string(),
  paidTo: z.string(),
  villages: z.array(z.object({ villageId: z.string(), population: z.int(), sample: z.array(Drawn) })),
});

/**
 * GET /v1/verifications/sample (inspector, auditor): a seeded random sample of paid disbursements
 * per village for field visits. Reproducible, so an auditor can redraw it and see that the visits
 * were the ones drawn, not chosen.
 */
export const getVerificationSampleRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/verifications/sample",
    { schema: { tags: ["verifications"], summary: "Draw a reproducible sample of payments per village for field visits", querystring: Query, response: { 200: Sample, ...problemResponses } } },
    async (request) => {
      const { seed, perVillage, paidFrom, paidTo, villageId } = request.query;
      const candidates = await paidDisbursements(db, { paidFrom, paidTo, ...(villageId ? { villageId } : {}) });
      const villages = drawVerificationSample(seed, perVillage, candidates).map((v) => ({
        villageId: v.villageId,
        population: v.population,
        sample: v.sample.map(({ villageId: _v, ...d }) => d),
      }));
      return { seed, perVillage, paidFrom, paidTo, villages };
    },
  );
};
