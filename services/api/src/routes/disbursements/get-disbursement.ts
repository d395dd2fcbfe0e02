import { Id } from "@aidtrail/domain";
import { disbursementById } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../problems/problem.js";
import { IdParams, problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const OptionalPosition = z.string().nullable();
const DisbursementView = z.object({
  disbursementId: Id,
  status: z.string().describe("initiated, recorded, pending_approval, approved, refused, rejected or reversed"),
  householdId: z.string(),
  memberId: z.string().nullable(),
  programId: z.string(),
  period: z.string(),
  requestedAmountFen: z.int(),
  amountFen: z.int().nullable(),
  paidOn: z.string(),
  channel: z.string(),
  reference: z.string(),
  preparedBy: z.string(),
  ruleVersion: z.int().nullable(),
  inputs: z.record(z.string(), z.unknown()).nullable(),
  refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
  approvedBy: z.string().nullable(),
  rejectedBy: z.string().nullable(),
  reversedBy: z.string().nullable(),
  reason: z.string().nullable(),
  positions: z.object({ initiated: z.string(), recorded: OptionalPosition, decided: OptionalPosition, reversed: OptionalPosition }),
  verification: z.object({
    count: z.int(),
    lastOutcome: z.string().nullable().describe("received, not_received or amount_differs"),
    lastVisitedOn: z.string().nullable(),
    lastPosition: OptionalPosition,
    openCase: z.object({ caseId: z.string(), openedPosition: z.string() }).nullable().describe("an open dispute, until a received follow-up closes it"),
  }),
});

const text = (p: bigint | null) => (p === null ? null : p.toString());

/** GET /v1/disbursements/{id} (all roles, in scope): the payment and its status. */
export const getDisbursementRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/disbursements/:id",
    { schema: { tags: ["disbursements"], summary: "A payment and its status", params: IdParams, response: { 200: DisbursementView, ...problemResponses } } },
    async (request) => {
      const d = await disbursementById(db, request.params.id);
      if (!d) throw notFound("disbursement_not_found", `disbursement ${request.params.id} does not exist`);
      const { slotKey: _slot, updatedAt: _updated, positions, verification: v, ...rest } = d;
      return {
        ...rest,
        verification: {
          ...v,
          lastPosition: text(v.lastPosition),
          openCase: v.openCase === null ? null : { caseId: v.openCase.caseId, openedPosition: v.openCase.openedPosition.toString() },
        },
        positions: { initiated: positions.initiated.toString(), recorded: text(positions.recorded), decided: text(positions.decided), reversed: text(positions.reversed) },
      };
    },
  );
};
