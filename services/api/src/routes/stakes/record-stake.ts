import { StakeRecordedData } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

const Recorded = z.object({ stakeId: z.string(), householdId: z.string(), position: Position });

/** POST /v1/stakes (officer): 入股, recorded before any dividend is paid on it. */
export const recordStakeRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/stakes",
    {
      schema: {
        tags: ["assets"],
        summary: "Record a household's equity stake in an enterprise",
        body: StakeRecordedData,
        response: { 201: Recorded, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await app.commands.recordStake(request.body, request.commandContext());
      const position = await answerPosition(store, result);
      return reply.code(201).send({ stakeId: request.body.stakeId, householdId: request.body.householdId, position });
    },
  );
};
