import { Id } from "@aidtrail/domain";
import { type AsOf, householdFile } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../problems/problem.js";
import { IdParams, Position, PositionQuery, problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const Query = z.strictObject({
  asOf: z
    .union([PositionQuery, z.iso.datetime({ offset: true })])
    .optional()
    .describe("a global position (digits) or an ISO time: the file as it stood then"),
});

const Entry = z.object({
  position: Position,
  streamId: z.string(),
  revision: z.int(),
  type: z.string(),
  recordedAt: z.string(),
  occurredAt: z.string().nullable(),
  actor: z.string().nullable(),
  disbursementId: z.string().nullable(),
  programId: z.string().nullable(),
  amountFen: z.int().nullable(),
  summary: z.record(z.string(), z.unknown()),
});
const FileView = z.object({ householdId: Id, asOf: z.string().nullable(), events: z.array(Entry) });

/** GET /v1/households/{id}/file (officer, auditor, inspector): 一户一档, every event oldest first. */
export const getHouseholdFileRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  app.get(
    "/v1/households/:id/file",
    {
      schema: {
        tags: ["households"],
        summary: "The household file: every event about it, oldest first, optionally as of a position or time",
        params: IdParams,
        querystring: Query,
        response: { 200: FileView, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { asOf } = request.query;
      const point: AsOf | undefined = asOf === undefined ? undefined : /^\d+$/.test(asOf) ? { position: BigInt(asOf) } : { time: new Date(asOf) };
      const entries = await householdFile(db, id, point ? { asOf: point } : {});
      if (entries.length === 0 && point === undefined) throw notFound("household_not_found", `household ${id} is not registered`);
      return {
        householdId: id,
        asOf: asOf ?? null,
        events: entries.map((e) => ({
          position: e.position.toString(),
          streamId: e.streamId,
          revision: e.revision,
          type: e.type,
          recordedAt: e.recordedAt.toISOString(),
          occurredAt: e.occurredAt,
          actor: e.actor,
          disbursementId: e.disbursementId,
          programId: e.programId,
          amountFen: e.amountFen,
          summary: e.summary,
        })),
      };
    },
  );
};
