import { z } from "zod";

/** The roles of SPEC.md; a JWT's `roles` claim is a list of these. */
export const Role = z.enum(["officer", "approver", "auditor", "inspector", "admin"]);
export type Role = z.infer<typeof Role>;

/** Who issues a command: the handler copies it from the verified token. */
export const Actor = z.strictObject({
  id: z.string().min(1),
  roles: z.array(Role),
});
export type Actor = z.infer<typeof Actor>;
