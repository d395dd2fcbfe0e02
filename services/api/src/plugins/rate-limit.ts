import fastifyRateLimit from "@fastify/rate-limit";
import fp from "fastify-plugin";
import { HttpProblem } from "../problems/problem.js";

export interface RateLimitOptions {
  /** Requests per window per token subject (per address for calls without a token). */
  max: number;
  timeWindowMs: number;
}

/**
 * Per-caller rate limit keyed by the verified token's `sub`, so one officer's runaway script
 * cannot starve the others; it runs after authentication (route hooks follow global ones).
 */
export const rateLimit = fp<RateLimitOptions>(
  async (app, options) => {
    await app.register(fastifyRateLimit, {
      max: options.max,
      timeWindow: options.timeWindowMs,
      keyGenerator: (request) => (request.principal ? `sub:${request.principal.sub}` : `ip:${request.ip}`),
      allowList: (request) => !request.url.startsWith("/v1/"),
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(429, "too_many_requests", "Too many requests", `at most ${context.max} requests per ${context.after}; retry later`),
    });
  },
  { name: "aidtrail-rate-limit", dependencies: ["aidtrail-authentication"] },
);
