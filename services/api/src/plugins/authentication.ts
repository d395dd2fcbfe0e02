import fastifyJwt from "@fastify/jwt";
import fp from "fastify-plugin";
import { type Principal, Principal as PrincipalSchema } from "../auth/principal.js";
import { accessFor } from "../auth/access-matrix.js";
import { VerifiedTokens } from "../auth/verified-tokens.js";
import { unauthorized } from "../problems/problem.js";

/** Verifies with an HS256 secret (development, simple deployments) or a public key (an identity provider signs). */
export type AuthKeys = { secret: string } | { publicKey: string };

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller; null on public routes. */
    principal: Principal | null;
  }
}

/**
 * Bearer JWTs on every route of the access matrix; the claims are validated, not trusted. A header
 * verified before is answered from VerifiedTokens until its token expires.
 */
export const authentication = fp<{ keys: AuthKeys }>(
  async (app, { keys }) => {
    await app.register(fastifyJwt, {
      secret: "secret" in keys ? keys.secret : { public: keys.publicKey },
      // A token without `exp` would never expire: refused like an expired one.
      verify: { algorithms: "secret" in keys ? ["HS256"] : ["RS256", "ES256", "EdDSA"], requiredClaims: ["exp"] },
    });
    app.decorateRequest("principal", null);
    const verified = new VerifiedTokens();
    app.addHook("onRequest", async (request) => {
      if (!accessFor(request.method, request.routeOptions.url ?? "")) return;
      const header = request.headers.authorization;
      if (typeof header !== "string" || !/^Bearer\s+\S+$/i.test(header)) throw unauthorized("a bearer token is required");
      const known = verified.get(header);
      if (known) {
        request.principal = known;
        return;
      }
      let claims: unknown;
      try {
        claims = await request.jwtVerify();
      } catch {
        // The library's reason (expired, bad signature, malformed) stays in the log, not the answer.
        throw unauthorized("the bearer token is invalid or expired");
      }
      const parsed = PrincipalSchema.safeParse(claims);
      if (!parsed.success) throw unauthorized("the bearer token lacks valid sub, roles or scope claims");
      verified.remember(header, parsed.data, (claims as { exp?: unknown }).exp);
      request.principal = parsed.data;
    });
  },
  { name: "aidtrail-authentication" },
);
