import { z } from "zod";

/** 动态管理: enrolled → pre_exit (预脱贫) → exited (脱贫) → re_enrolled; re_enrolled behaves like enrolled. */
export const HouseholdStatus = z.enum(["enrolled", "pre_exit", "exited", "re_enrolled"]);
export type HouseholdStatus = z.infer<typeof HouseholdStatus>;

/**
 * Allowed transitions. The brief's machine is kept strict: a pre-exit household that fails
 * its exit check has no way back to enrolled (decide that with the programme office if needed).
 */
const NEXT: Record<HouseholdStatus, readonly HouseholdStatus[]> = {
  enrolled: ["pre_exit"],
  pre_exit: ["exited"],
  exited: ["re_enrolled"],
  re_enrolled: ["pre_exit"],
};

export function canTransition(from: HouseholdStatus, to: HouseholdStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses in which a household may be paid under any program. */
export function isSupportedStatus(status: HouseholdStatus): boolean {
  return status !== "exited";
}
