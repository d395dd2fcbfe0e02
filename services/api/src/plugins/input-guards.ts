import fp from "fastify-plugin";
import { HttpProblem } from "../problems/problem.js";

/** With the u flag a surrogate pair is one code point: only an unpaired surrogate matches. */
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;

/** U+0000 and unpaired surrogates: PostgreSQL text and jsonb cannot hold them (the first fails in SQL, the second becomes U+FFFD). */
const unstorable = (text: string) => text.includes("\u0000") || UNPAIRED_SURROGATE.test(text);

/** The path of the first string (key or value) under `root` that PostgreSQL cannot store, if any. */
function unstorableAt(root: unknown, where: string): string | undefined {
  // Iterative: a hostile body may nest thousands deep.
  const stack: Array<[unknown, string]> = [[root, where]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === "string") {
      if (unstorable(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], `${path}/${i}`]);
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (unstorable(key)) return `${path}/${key}`;
        stack.push([inner, `${path}/${key}`]);
      }
    }
  }
  return undefined;
}

const invalid = (path: string, message: string, detail: string) =>
  new HttpProblem(400, "validation_failed", "Validation failed", detail, { errors: [{ path, message }] });

/**
 * What the zod schemas cannot say, checked before them: a route that declares no query string
 * takes none (an unknown parameter is refused, as an unknown body field is), and no id, query
 * value or body string may hold a character PostgreSQL cannot store — refused here as a 400
 * instead of failing in SQL as a 500 or being stored altered.
 */
export const inputGuards = fp(
  async (app) => {
    app.addHook("preValidation", async (request) => {
      if (!request.routeOptions.url?.startsWith("/v1/")) return;
      const query = request.query as Record<string, unknown>;
      if (!request.routeOptions.schema?.querystring && Object.keys(query).length > 0) {
        const names = Object.keys(query).slice(0, 3).map((k) => JSON.stringify(k.slice(0, 40)));
        throw invalid("querystring", "this route takes no query parameters", `${request.method} ${request.routeOptions.url} takes no query parameters; got ${names.join(", ")}`);
      }
      for (const [part, value] of [["params", request.params], ["querystring", query], ["body", request.body]] as const) {
        const path = unstorableAt(value, part);
        if (path !== undefined) throw invalid(path, "contains U+0000 or an unpaired surrogate", `the ${part} holds a character that cannot be stored (U+0000 or an unpaired surrogate)`);
      }
    });
  },
  { name: "aidtrail-input-guards" },
);
