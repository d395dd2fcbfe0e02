import { DomainError, Id, streamIds } from "@aidtrail/domain";
import type { EventStore, RecordedEvent } from "@aidtrail/event-store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParams, Position, type RouteDeps, problemResponses } from "../../schemas/common.js";

const Decided = z.object({ disbursementId: Id, status: z.enum(["approved", "rejected", "reversed"]), position: Position });
const Reason = z.strictObject({ reason: z.string().min(1).max(1000) });
const NoBody = z.strictObject({}).optional();

type Data = { by?: unknown; reason?: unknown };

/**
 * A decision repeated by the same person with the same reason (a client retry) gets the first
 * answer instead of not_pending / already_reversed: the decision it asks for is already a fact.
 */
async function sameDecision(store: EventStore, disbursementId: string, type: string, by: string, reason?: string): Promise<RecordedEvent | undefined> {
  const events = await store.readStream(streamIds.disbursement(disbursementId));
  return events.find((e) => e.type === type && (e.data as Data).by === by && (reason === undefined || (e.data as Data).reason === reason));
}

async function decide(
  store: EventStore,
  disbursementId: string,
  type: "DisbursementApproved" | "DisbursementRejected" | "DisbursementReversed",
  by: string,
  reason: string | undefined,
  run: () => Promise<{ events: Array<{ type: string; position: string }> }>,
): Promise<string> {
  try {
    const result = await run();
    const event = result.events.find((e) => e.type === type);
    if (event) return event.position;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const earlier = await sameDecision(store, disbursementId, type, by, reason);
    if (!earlier) throw error;
    return earlier.position.toString();
  }
  const earlier = await sameDecision(store, disbursementId, type, by, reason);
  if (!earlier) throw new Error(`${type} was not appended`);
  return earlier.position.toString();
}

/** Approve and reject (approver, never the preparer), reverse (officer): 冲正 is a new event, the original stays. */
export const decideDisbursementRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.post(
    "/v1/disbursements/:id/approve",
    {
      schema: {
        tags: ["disbursements"],
        summary: "Approve a payment pending a second signature",
        params: IdParams,
        body: NoBody,
        response: { 200: Decided, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const ctx = request.commandContext();
      const position = await decide(store, id, "DisbursementApproved", ctx.actor.id, undefined, () =>
        app.commands.approveDisbursement({ disbursementId: id }, ctx),
      );
      return { disbursementId: id, status: "approved" as const, position };
    },
  );

  app.post(
    "/v1/disbursements/:id/reject",
    {
      schema: {
        tags: ["disbursements"],
        summary: "Reject a payment pending a second signature; its budget and slot are released",
        params: IdParams,
        body: Reason,
        response: { 200: Decided, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { reason } = request.body;
      const ctx = request.commandContext();
      const position = await decide(store, id, "DisbursementRejected", ctx.actor.id, reason, () =>
        app.commands.rejectDisbursement({ disbursementId: id, reason }, ctx),
      );
      return { disbursementId: id, status: "rejected" as const, position };
    },
  );

  app.post(
    "/v1/disbursements/:id/reversal",
    {
      schema: {
        tags: ["disbursements"],
        summary: "Reverse (冲正) a recorded payment with a reason",
        params: IdParams,
        body: Reason,
        response: { 201: Decided, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { reason } = request.body;
      const ctx = request.commandContext();
      const position = await decide(store, id, "DisbursementReversed", ctx.actor.id, reason, () =>
        app.commands.reverseDisbursement({ disbursementId: id, reason }, ctx),
      );
      return reply.code(201).send({ disbursementId: id, status: "reversed" as const, position });
    },
  );
};
