import { type Database, migrations } from "@aidtrail/db";
import type { FastifyPluginAsync } from "fastify";
import { type Kysely, sql } from "kysely";
import { sendProblem } from "../../plugins/problem-details.js";

const READY_TIMEOUT_MS = 2_000;

/** Liveness answers while the process runs; readiness needs the database and every migration applied. */
export const healthRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  const expected = Object.keys(migrations).length;

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      // Bounded: a load balancer asks again soon, it must not pile up hung probes.
      const applied = await Promise.race([
        sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(db).then((r) => Number(r.rows[0]?.n ?? 0)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("readiness probe timed out")), READY_TIMEOUT_MS).unref()),
      ]);
      if (applied < expected) {
        return sendProblem(request, reply, 503, "not_ready", `${applied} of ${expected} migrations applied`);
      }
      return { status: "ready" };
    } catch {
      return sendProblem(request, reply, 503, "not_ready", "the database is not reachable");
    }
  });
};
