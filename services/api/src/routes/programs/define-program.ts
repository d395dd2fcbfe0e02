import { ProgramDefinedData } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

const Defined = z.object({ programId: z.string(), ruleVersion: z.int(), position: Position });

/** POST /v1/programs (admin): a kind of support and its rule (versioned data). */
export const defineProgramRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/programs",
    {
      schema: {
        tags: ["programs"],
        summary: "Define a program and its rule",
        body: ProgramDefinedData,
        response: { 201: Defined, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await app.commands.defineProgram(request.body, request.commandContext());
      const position = await answerPosition(store, result);
      return reply.code(201).send({ programId: request.body.programId, ruleVersion: request.body.rule.version, position });
    },
  );
};
