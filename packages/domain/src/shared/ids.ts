import { z } from "zod";

/**
 * Client-chosen identifiers. ":" is refused because slot keys join ids with ":", and
 * whitespace because an id that differs by a trailing space would open a second slot.
 */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s:#]+$/u, "ids contain no whitespace, ':' or '#'");
export type Id = z.infer<typeof Id>;
