import { z } from "zod";
import { Id } from "../shared/ids.js";
import { Actor } from "../shared/roles.js";
import type { DisbursementContext } from "./assess-disbursement.js";
import { DisbursementRequest } from "./disbursement-request.js";

export const InitiateDisbursementCommand = z.strictObject({
  type: z.literal("InitiateDisbursement"),
  data: z.strictObject({ request: DisbursementRequest, requestHash: z.string().min(1), actor: Actor }),
});
export const RefuseDisbursementCommand = z.strictObject({
  type: z.literal("RefuseDisbursement"),
  data: z.strictObject({ disbursementId: Id, code: z.string().min(1), message: z.string() }),
});
export const ApproveDisbursementCommand = z.strictObject({
  type: z.literal("ApproveDisbursement"),
  data: z.strictObject({ disbursementId: Id, actor: Actor }),
});
export const RejectDisbursementCommand = z.strictObject({
  type: z.literal("RejectDisbursement"),
  data: z.strictObject({ disbursementId: Id, actor: Actor, reason: z.string().min(1) }),
});
export const ReverseDisbursementCommand = z.strictObject({
  type: z.literal("ReverseDisbursement"),
  data: z.strictObject({
    disbursementId: Id,
    actor: Actor,
    reason: z.string().min(1),
    originalPosition: z.string().regex(/^\d+$/).exactOptional(),
  }),
});

export type InitiateDisbursement = z.infer<typeof InitiateDisbursementCommand>;
export type RefuseDisbursement = z.infer<typeof RefuseDisbursementCommand>;
export type ApproveDisbursement = z.infer<typeof ApproveDisbursementCommand>;
export type RejectDisbursement = z.infer<typeof RejectDisbursementCommand>;
export type ReverseDisbursement = z.infer<typeof ReverseDisbursementCommand>;

/**
 * Internal (no zod schema, never from HTTP): the handler has claimed the slot and reserved the
 * funds, and passes the states it read so the decider can compute and check the amount.
 */
export interface RecordDisbursement {
  type: "RecordDisbursement";
  data: { disbursementId: string; context: DisbursementContext };
}

export type DisbursementCommand =
  | InitiateDisbursement
  | RecordDisbursement
  | RefuseDisbursement
  | ApproveDisbursement
  | RejectDisbursement
  | ReverseDisbursement;
