import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fp from "fastify-plugin";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

/** OpenAPI generated from the same zod schemas that validate requests; Swagger UI at /docs. */
export const openApi = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "aidtrail",
          version: "1",
          description:
            "Auditable benefit disbursement. Amounts are integer fen. Errors are application/problem+json (RFC 9457) " +
            "whose `type` is https://aidtrail.dev/problems/<code>. Writes answer once their events are projected " +
            "(header aidtrail-projected), so a read right after a write sees it; `Prefer: projection=none` answers " +
            "as soon as the events are stored (Preference-Applied says so).",
        },
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  },
  { name: "aidtrail-openapi" },
);
