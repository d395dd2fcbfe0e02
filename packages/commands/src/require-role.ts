import { type Actor, type Role, RoleRequired } from "@aidtrail/domain";

/** Throws role_required unless the actor holds `role` (SPEC.md "Who uses it"). */
export function requireRole(actor: Actor, role: Role, action: string): void {
  if (!actor.roles.includes(role)) throw new RoleRequired(role, action);
}
