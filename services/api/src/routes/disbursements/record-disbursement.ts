import { DisbursementRequest, Id, type DomainErrorCode } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { domainErrorStatus, titleOf } from "../../problems/domain-error-status.js";
import { HttpProblem } from "../../problems/problem.js";
import { Position, type RouteDeps, problemResponses } from "../../schemas/common.js";

const Recorded = z.object({
  disbursementId: Id,
  status: z.enum(["recorded", "pending_approval"]),
  amountFen: z.int(),
  position: Position,
});

/**
 * POST /v1/disbursements (officer): one payment. The saga makes it idempotent: the same id and
 * body always get the first answer (a refusal too, as the same problem); another body, 409.
 */
export const recordDisbursementRoute: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  app.post(
    "/v1/disbursements",
    {
      schema: {
        tags: ["disbursements"],
        summary: "Record a payment to a household",
        body: DisbursementRequest,
        response: { 201: Recorded, ...problemResponses },
      },
    },
    async (request, reply) => {
      // The schema above has parsed the body: the command does not parse it again.
      const answer = await app.commands.recordParsedDisbursement(request.body, request.commandContext());
      if (answer.outcome === "refused") {
        const status = domainErrorStatus[answer.code as DomainErrorCode] ?? 422;
        // The refusal is a recorded fact with a position: the problem carries it.
        throw new HttpProblem(status, answer.code, titleOf(answer.code), answer.message, {
          code: answer.code,
          disbursementId: answer.disbursementId,
          position: answer.position,
        });
      }
      const { disbursementId, status, amountFen, position } = answer;
      return reply.code(201).send({ disbursementId, status, amountFen, position });
    },
  );
};
