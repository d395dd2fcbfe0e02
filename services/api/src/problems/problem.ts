import { z } from "zod";

/** Every problem type URI starts here; the last segment is the stable machine code. */
export const PROBLEM_BASE = "https://aidtrail.dev/problems/";

export const problemTypeOf = (code: string): string => `${PROBLEM_BASE}${code}`;

/** RFC 9457 problem details, with the extensions aidtrail uses. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    /** The request id: quote it when reporting a problem, the logs carry the same id. */
    instance: z.string(),
    /** Validation failures, one per field. */
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

/** An HTTP failure that is not a domain refusal (401, 403, 404 of a route, 413, 503, …). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }
}

export const unauthorized = (detail: string) => new HttpProblem(401, "unauthorized", "Unauthorized", detail);
export const forbidden = (detail: string) => new HttpProblem(403, "forbidden", "Forbidden", detail);
export const notFound = (code: string, detail: string) => new HttpProblem(404, code, "Not found", detail);
