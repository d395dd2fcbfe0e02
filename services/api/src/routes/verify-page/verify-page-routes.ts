import { VERIFIER_GLOBAL, verifierBundle } from "@aidtrail/audit/server";
import type { FastifyPluginAsync } from "fastify";
import { verifyPageHtml } from "./verify-page-html.js";

/** Options of the /verify page. */
export interface VerifyPageOptions {
  /** Verifier keys to prefill; the inspector may paste the published ones instead. */
  verifierKeys?: readonly string[];
  origin?: string;
}

/**
 * GET /verify: one static page that verifies a receipt in the browser with the same
 * verifier module the CLI uses (bundled at start), and GET /verify/verifier.js, the
 * bundle alone for anyone who wants to script it. Public: a receipt is public evidence.
 */
export const verifyPageRoutes: FastifyPluginAsync<VerifyPageOptions> = async (app, options) => {
  const bundle = await verifierBundle();
  const { html, csp } = verifyPageHtml({
    bundle,
    globalName: VERIFIER_GLOBAL,
    verifierKeys: options.verifierKeys ?? [],
    origin: options.origin,
  });
  app.get("/verify", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").header("content-security-policy", csp).header("x-content-type-options", "nosniff").send(html),
  );
  app.get("/verify/verifier.js", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").header("x-content-type-options", "nosniff").send(bundle),
  );
};
