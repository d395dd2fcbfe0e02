import { isDatabaseUnreachable } from "@aidtrail/db";
import { DomainError } from "@aidtrail/domain";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { domainErrorStatus, titleOf } from "../problems/domain-error-status.js";
import { eventStoreRefusal } from "../problems/event-store-refusal.js";
import { HttpProblem, type Problem, problemTypeOf } from "../problems/problem.js";

/** Fastify's own 4xx codes that deserve a stable problem code of their own. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "malformed_body",
  FST_ERR_CTP_INVALID_JSON_BODY: "malformed_body",
  FST_ERR_CTP_INVALID_TYPE: "bad_request",
  FST_ERR_BAD_URL: "bad_url",
};

const STATUS_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  408: "request_timeout",
  413: "payload_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
  429: "too_many_requests",
  431: "request_header_fields_too_large",
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  title: string = titleOf(code),
): FastifyReply {
  const body: Problem = { ...extensions, type: problemTypeOf(code), title, status, detail, instance: request.id };
  return reply.code(status).type("application/problem+json").send(body);
}

/**
 * Router failures (a malformed percent-encoding, an over-long path parameter) happen before any
 * hook or error handler: Fastify hands them to this `frameworkErrors` option instead.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  sendProblem(request, reply, status, FASTIFY_CODES[error.code] ?? STATUS_CODES[status] ?? "bad_request", error.message);
}

/**
 * The one root error handler: domain refusals and client mistakes become 4xx problem+json with a
 * stable `type`; anything else is logged with the request id and answered with a generic body,
 * so no stack trace or SQL ever reaches a client.
 */
export const problemDetails = fp(
  async (app) => {
    app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, "route_not_found", `no route ${request.method} ${request.url.split("?")[0]}`));

    app.setErrorHandler((error: FastifyError | Error, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = (error as FastifyError).validationContext ?? "request";
        const errors = error.validation.map((v) => ({ path: `${where}${v.instancePath === "/" ? "" : v.instancePath}`, message: v.message ?? "invalid" }));
        return sendProblem(request, reply, 400, "validation_failed", `the ${where} is invalid: ${errors.length} problem(s)`, { errors });
      }
      if (error instanceof HttpProblem) return sendProblem(request, reply, error.status, error.code, error.message, error.extensions, error.title);
      if (error instanceof DomainError) {
        return sendProblem(request, reply, domainErrorStatus[error.code] ?? 422, error.code, error.message, { code: error.code, ...error.details });
      }
      if ((error as { code?: unknown }).code === "pii_shredded") return sendProblem(request, reply, 409, "pii_shredded", error.message);
      const refusal = eventStoreRefusal(error);
      if (refusal) {
        request.log.warn({ err: error }, "the event store refused the request's events");
        return sendProblem(request, reply, refusal.status, refusal.code, error.message);
      }
      if (isDatabaseUnreachable(error)) {
        // One line per request while the database is away, not a stack trace each.
        request.log.warn({ error: error.message }, "database unavailable");
        reply.header("retry-after", "5");
        return sendProblem(request, reply, 503, "database_unavailable", "the database cannot be reached; retry later");
      }
      const status = (error as FastifyError).statusCode;
      if (typeof status === "number" && status >= 400 && status < 500) {
        const code = FASTIFY_CODES[(error as FastifyError).code] ?? STATUS_CODES[status] ?? "bad_request";
        // Fastify's and its plugins' 4xx messages describe the request, never the server.
        return sendProblem(request, reply, status, code, error.message);
      }
      request.log.error({ err: error }, "request failed");
      return sendProblem(request, reply, 500, "internal", "an unexpected error occurred; quote the instance when reporting it");
    });
  },
  { name: "aidtrail-problem-details" },
);
