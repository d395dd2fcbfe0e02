import { Id, Role } from "@aidtrail/domain";
import { z } from "zod";

/** `township` sees every village; `village:<villageId>` one village. */
export const Scope = z.union([z.literal("township"), z.templateLiteral(["village:", Id])]);
export type Scope = z.infer<typeof Scope>;

/** The claims aidtrail reads from a verified bearer token. */
export const Principal = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(Role).min(1),
  scope: Scope,
});
export type Principal = z.infer<typeof Principal>;

/** The village a principal is limited to, or null for the township. */
export function villageOf(scope: Scope): string | null {
  return scope === "township" ? null : scope.slice("village:".length);
}
