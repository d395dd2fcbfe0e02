import { allProjections, liveSchema, resumeStopped } from "@aidtrail/projections";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import { HttpProblem, notFound } from "../../problems/problem.js";
import { Position, problemResponses } from "../../schemas/common.js";
import type { ReadDeps } from "../../schemas/read-deps.js";

const Params = z.strictObject({ name: z.string().min(1).max(63) });
const NoBody = z.strictObject({}).optional();

const Resumed = z.object({
  projection: z.string(),
  status: z.literal("running"),
  failedPosition: Position.nullable().describe("the event it had stopped on, retried first"),
  error: z.string().nullable().describe("why it had stopped"),
});

/**
 * POST /v1/projections/{name}/resume (admin, township): a read model that stopped on an event it
 * could not apply runs again from its checkpoint once the fix is deployed, without restarting the
 * projector, which picks it up within a few seconds (it stops again if the event still fails).
 * 404 for an unknown read model, 409 when it is not stopped.
 */
export const resumeProjectionRoute: FastifyPluginAsyncZod<ReadDeps> = async (app, { db }) => {
  const names = new Set(allProjections.map((p) => p.name));
  app.post(
    "/v1/projections/:name/resume",
    {
      schema: {
        tags: ["operations"],
        summary: "Resume a read model stopped on a poison event",
        params: Params,
        body: NoBody,
        response: { 200: Resumed, ...problemResponses },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (!names.has(name)) throw notFound("projection_not_found", `there is no read model ${name}`);
      const schema = liveSchema(name);
      // A database the projector has not prepared yet has no checkpoint table to resume.
      const { rows } = await sql<{ found: boolean }>`select to_regclass(${`${schema}._checkpoint`}) is not null as found`.execute(db);
      if (!rows[0]?.found) throw notFound("projection_not_found", `read model ${name} has not been created in this database`);
      const resumed = await resumeStopped(db, schema);
      if (!resumed) throw new HttpProblem(409, "projection_not_stopped", "Projection not stopped", `read model ${name} is running; only a stopped one can be resumed`);
      request.log.warn({ projection: name, failedPosition: resumed.failedPosition?.toString() ?? null, by: request.principal?.sub }, "projection resumed by an operator");
      return { projection: name, status: "running" as const, failedPosition: resumed.failedPosition?.toString() ?? null, error: resumed.error };
    },
  );
};
