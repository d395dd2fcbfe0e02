import type { EventStore } from "@aidtrail/event-store";
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { type RouteAccess, accessFor } from "../auth/access-matrix.js";
import { villageOf } from "../auth/principal.js";
import { VillageLookup } from "../auth/village-lookup.js";
import { forbidden, notFound } from "../problems/problem.js";

/**
 * Roles are checked before the body is read (onRequest), scopes after validation (preHandler),
 * when the ids the scope depends on are known to be well-formed.
 */
export const authorization = fp<{ store: EventStore }>(
  async (app, { store }) => {
    const villages = new VillageLookup(store);

    app.addHook("onRoute", (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (route.url.startsWith("/v1/") && method !== "HEAD" && !accessFor(method, route.url)) {
          throw new Error(`route ${method} ${route.url} is missing from the access matrix`);
        }
      }
    });

    app.addHook("onRequest", async (request) => {
      const access = accessFor(request.method, request.routeOptions.url ?? "");
      if (!access || !request.principal) return;
      if (!request.principal.roles.some((role) => access.roles.includes(role))) {
        throw forbidden(`${request.method} ${request.routeOptions.url} needs one of the roles ${access.roles.join(", ")}`);
      }
    });

    app.addHook("preHandler", async (request) => {
      const access = accessFor(request.method, request.routeOptions.url ?? "");
      if (!access || !request.principal) return;
      const village = villageOf(request.principal.scope);
      if (village === null) return;
      await checkScope(request, access, village, villages);
    });
  },
  { name: "aidtrail-authorization", dependencies: ["aidtrail-authentication"] },
);

async function checkScope(request: FastifyRequest, access: RouteAccess, village: string, villages: VillageLookup): Promise<void> {
  const rule = access.scope;
  if (rule.kind === "any") return;
  const outOfScope = () => forbidden(`your scope is village ${village}; this request is outside it`);
  if (rule.kind === "township") throw forbidden("this action needs a township scope");
  const id = (request[rule.from] as Record<string, unknown> | undefined)?.[rule.field];
  if (typeof id !== "string") {
    if (rule.optional) throw forbidden(`a village-scoped caller must name ${rule.field}`);
    throw outOfScope();
  }
  if (rule.kind === "village") {
    if (id !== village) throw outOfScope();
    return;
  }
  const found = await villages[rule.kind](id);
  // A village-scoped caller cannot prove an unknown id is in its village: it is not found for them.
  if (found === null) throw notFound(`${rule.kind}_not_found`, `${rule.kind} ${id} does not exist`);
  if (found !== village) throw outOfScope();
}
