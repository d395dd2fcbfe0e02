import type { Projection } from "@aidtrail/projections";
import { projectionStatus } from "@aidtrail/projections";
import fp from "fastify-plugin";
import type { Kysely } from "kysely";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface AppMetrics {
  eventsAppended: Counter<"type">;
}

declare module "fastify" {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/**
 * Prometheus metrics at /metrics: request latency by route, appended events, projection lag.
 * A registry per app, not prom-client's global one, so several apps (tests) never collide.
 */
export const metrics = fp<{ db: Kysely<any>; projections: readonly Projection[] }>(
  async (app, { db, projections }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const latency = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by method, route pattern and status",
      labelNames: ["method", "route", "status_code"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const eventsAppended = new Counter({
      name: "aidtrail_events_appended_total",
      help: "Events appended to the event store by this process, by type",
      labelNames: ["type"] as const,
      registers: [registry],
    });
    const lagPositions = new Gauge({ name: "aidtrail_projection_lag_positions", help: "Events a projection is behind the head of the log", labelNames: ["projection"] as const, registers: [registry] });
    const lagSeconds = new Gauge({ name: "aidtrail_projection_lag_seconds", help: "Age of the oldest event a projection has not applied", labelNames: ["projection"] as const, registers: [registry] });
    const failed = new Gauge({ name: "aidtrail_projection_failed", help: "1 when a projection stopped on a failure", labelNames: ["projection"] as const, registers: [registry] });

    app.decorate("metrics", { eventsAppended });

    app.addHook("onResponse", async (request, reply) => {
      // The route pattern, never the raw URL: ids in paths would explode the label set.
      const route = request.routeOptions.url ?? "unmatched";
      latency.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
      if (projections.length > 0) {
        try {
          for (const s of await projectionStatus(db, projections)) {
            lagPositions.set({ projection: s.name }, s.lagPositions);
            lagSeconds.set({ projection: s.name }, s.lagSeconds);
            failed.set({ projection: s.name }, s.status === "failed" ? 1 : 0);
          }
        } catch (err) {
          // Metrics still answer while the database is away; the lag gauges keep their last value.
          app.log.warn({ err }, "projection status unavailable for /metrics");
        }
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: "aidtrail-metrics" },
);
