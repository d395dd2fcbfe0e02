import { Id, PeriodText, PositiveFen } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParams, Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

const Body = z.strictObject({
  allocationId: Id.describe("client-chosen; a retry with the same body gets the same answer"),
  amountFen: PositiveFen,
  period: PeriodText,
  note: z.string().max(1000).default(""),
});
const Added = z.object({ programId: Id, allocationId: Id, amountFen: z.int(), period: z.string(), position: Position });

/** POST /v1/programs/{id}/allocations (admin): 资金计划, budget made available to a program. */
export const addAllocationRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/programs/:id/allocations",
    {
      schema: {
        tags: ["programs"],
        summary: "Add budget to a program",
        params: IdParams,
        body: Body,
        response: { 201: Added, ...problemResponses },
      },
    },
    async (request, reply) => {
      const programId = request.params.id;
      const { allocationId, amountFen, period, note } = request.body;
      const result = await app.commands.addAllocation({ programId, allocationId, amountFen, period, note }, request.commandContext());
      const position = await answerPosition(
        store,
        result,
        (e) => e.type === "AllocationAdded" && (e.data as { allocationId?: unknown }).allocationId === allocationId,
      );
      return reply.code(201).send({ programId, allocationId, amountFen, period, position });
    },
  );
};
