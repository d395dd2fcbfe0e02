import { Id } from "@aidtrail/domain";
import { programBudget } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../problems/problem.js";
import { IdParams, problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const Budget = z.object({
  programId: Id,
  name: z.string().nullable(),
  kind: z.string().nullable(),
  fundingSource: z.string().nullable(),
  ruleVersion: z.int().nullable(),
  allocatedFen: z.int(),
  disbursedFen: z.int().describe("paid − reversed"),
  paidFen: z.int(),
  reversedFen: z.int(),
  pendingFen: z.int().describe("awaiting a second signature"),
  heldFen: z.int().describe("reserved but not (or no longer) paid"),
  remainingFen: z.int().describe("allocated − reserved: what new payments may still use"),
  payments: z.int(),
  reversals: z.int(),
});

/** GET /v1/programs/{id}/budget (all roles): allocated, disbursed, reversed, remaining, in fen. */
export const getProgramBudgetRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/programs/:id/budget",
    { schema: { tags: ["programs"], summary: "A program's budget in fen", params: IdParams, response: { 200: Budget, ...problemResponses } } },
    async (request) => {
      const budget = await programBudget(db, request.params.id);
      if (!budget) throw notFound("program_not_found", `program ${request.params.id} is not defined`);
      const { reservedFen: _reserved, allocations: _allocations, ...rest } = budget;
      return rest;
    },
  );
};
