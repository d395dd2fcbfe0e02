import type { Database } from "@aidtrail/db";
import type { FastifyPluginAsync } from "fastify";
import { type Kysely, sql } from "kysely";

/** Liveness answers while the process runs; readiness needs the database and its migrations. */
export const healthRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    try {
      await sql`select 1 from events limit 1`.execute(db);
      return { status: "ready" };
    } catch {
      return reply.code(503).type("application/problem+json").send({
        type: "https://aidtrail.dev/problems/not-ready",
        title: "Not ready",
        status: 503,
        detail: "the database is not reachable or not migrated",
      });
    }
  });
};
