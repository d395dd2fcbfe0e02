import { VerificationRequest } from "@aidtrail/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { Position, type RouteDeps, problemResponses } from "../../schemas/common.js";

const Recorded = z.object({
  verificationId: z.string(),
  disbursementId: z.string(),
  position: Position,
  caseOpened: z.string().nullable().describe("the case this finding opened (its id is the verification id), or null"),
  caseClosed: z.string().nullable().describe("the case this finding closed, or null"),
});

/**
 * POST /v1/verifications (inspector): a field visit's finding about one paid disbursement;
 * not_received or amount_differs opens a case auditors see until a received follow-up closes it.
 */
export const recordVerificationRoute: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/verifications",
    {
      schema: {
        tags: ["verifications"],
        summary: "Record an inspector's finding (核查) about a payment",
        body: VerificationRequest,
        response: { 201: Recorded, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { verificationId, disbursementId } = request.body;
      const result = await app.commands.recordVerification(request.body, request.commandContext());
      // The answer is read back from the (short) stream, so a retry gets the first answer.
      const mine = (await store.readStream(result.streamId)).filter((e) => (e.data as { verificationId?: string }).verificationId === verificationId);
      const of = (type: string) => mine.find((e) => e.type === type);
      const caseId = (type: string) => (of(type)?.data as { caseId?: string } | undefined)?.caseId ?? null;
      const position = of("VerificationRecorded")?.position.toString();
      if (position === undefined) throw new Error(`verification ${verificationId} not found in ${result.streamId} after recording it`);
      return reply.code(201).send({ verificationId, disbursementId, position, caseOpened: caseId("CaseOpened"), caseClosed: caseId("CaseClosed") });
    },
  );
};
