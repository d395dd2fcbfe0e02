import {
  consistencyProofFor,
  exportEvents,
  inclusionProofFor,
  latestCheckpoint,
  receiptForDisbursement,
} from "@aidtrail/audit/server";
import type { EventStore } from "@aidtrail/event-store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { problemResponses } from "../../schemas/common.js";
import { auditCall } from "./audit-problem.js";
import { ConsistencyProof, ConsistencyQuery, EventPage, EventsQuery, InclusionProof, InclusionQuery, Receipt, ReceiptParams } from "./audit-schemas.js";

/** What the audit routes read: the sealer's tables and checkpoints, and the event store. */
export interface AuditRouteDeps {
  db: Kysely<any>;
  store: EventStore;
}

/**
 * The audit log over HTTP (SPEC "Audit log"): the latest signed checkpoint, inclusion and
 * consistency proofs between signed sizes, per-disbursement receipts and the global event
 * export. Roles come from the access matrix (the export is auditor only).
 */
export const auditRoutes: FastifyPluginAsyncZod<AuditRouteDeps> = async (app, { db, store }) => {
  app.get(
    "/v1/audit/checkpoint",
    {
      schema: {
        tags: ["audit"],
        summary: "The latest signed checkpoint (C2SP tlog-checkpoint signed note, text/plain)",
        response: { 200: z.string(), ...problemResponses },
      },
    },
    async (_request, reply) => {
      const checkpoint = await auditCall(() => latestCheckpoint(db));
      return reply.type("text/plain; charset=utf-8").header("cache-control", "no-cache").send(checkpoint.note);
    },
  );

  app.get(
    "/v1/audit/proofs/inclusion",
    { schema: { tags: ["audit"], summary: "Inclusion proof of one event in a signed tree", querystring: InclusionQuery, response: { 200: InclusionProof, ...problemResponses } } },
    async (request) => auditCall(() => inclusionProofFor(db, { position: BigInt(request.query.position), treeSize: request.query.treeSize })),
  );

  app.get(
    "/v1/audit/proofs/consistency",
    { schema: { tags: ["audit"], summary: "Consistency proof between two signed tree sizes", querystring: ConsistencyQuery, response: { 200: ConsistencyProof, ...problemResponses } } },
    async (request) => auditCall(() => consistencyProofFor(db, request.query)),
  );

  app.get(
    "/v1/disbursements/:id/receipt",
    { schema: { tags: ["audit", "disbursements"], summary: "A self-contained receipt of a disbursement, verifiable offline", params: ReceiptParams, response: { 200: Receipt, ...problemResponses } } },
    async (request) => auditCall(() => receiptForDisbursement(db, store, request.params.id)),
  );

  app.get(
    "/v1/events",
    { schema: { tags: ["audit"], summary: "The global event log in leaf order, for replay by others", querystring: EventsQuery, response: { 200: EventPage, ...problemResponses } } },
    async (request) => auditCall(() => exportEvents(store, request.query)),
  );
};
