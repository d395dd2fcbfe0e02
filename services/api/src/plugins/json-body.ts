import type { FastifyError } from "fastify";
import fp from "fastify-plugin";
import { HttpProblem } from "../problems/problem.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The `charset` parameter of a content type, lower-cased, if any. */
function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1]?.toLowerCase();
}

/**
 * Bodies are JSON in UTF-8 (RFC 8259), nothing else: text/plain is not parsed (415), a body
 * declared in another charset is refused (415) rather than read as UTF-8, and bytes that are not
 * UTF-8 are refused (400) rather than turned into U+FFFD — a name must never be stored altered.
 * Parsing itself stays Fastify's, with its prototype-poisoning checks.
 */
export const jsonBody = fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser("error", "error");
    app.removeContentTypeParser(["application/json", "text/plain"]);
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
      const charset = charsetOf(request.headers["content-type"]);
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        done(new HttpProblem(415, "unsupported_media_type", "Unsupported media type", `JSON bodies are UTF-8; charset ${charset.slice(0, 40)} is not accepted`) as unknown as FastifyError, undefined);
        return;
      }
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        done(new HttpProblem(400, "malformed_body", "Malformed body", "the body is not valid UTF-8") as unknown as FastifyError, undefined);
        return;
      }
      parseJson(request, text, done);
    });
  },
  { name: "aidtrail-json-body" },
);
