import { LoanRecordedData } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Position, type RouteDeps, answerPosition, problemResponses } from "../../schemas/common.js";

const Recorded = z.object({ loanId: z.string(), householdId: z.string(), position: Position });

/** POST /v1/loans (officer): 小额贷款, recorded before any interest subsidy or dividend is paid on it. */
export const recordLoanRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/loans",
    {
      schema: {
        tags: ["assets"],
        summary: "Record a microloan",
        body: LoanRecordedData,
        response: { 201: Recorded, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await app.commands.recordLoan(request.body, request.commandContext());
      const position = await answerPosition(store, result);
      return reply.code(201).send({ loanId: request.body.loanId, householdId: request.body.householdId, position });
    },
  );
};
