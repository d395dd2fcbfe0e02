import path from "node:path";
import { configProblems } from "@aidtrail/db";
import { z } from "zod";
import { isValidOrigin } from "../checkpoint.js";

const list = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0));

/** Audit settings from the environment, validated at start. */
export const auditConfigSchema = z.object({
  /** The log's name in every checkpoint; C2SP suggests a URL-like name that is also the key name. */
  AIDTRAIL_AUDIT_ORIGIN: z.string().refine(isValidOrigin, "must be one word without spaces or '+'").default("aidtrail.local/township"),
  /** Comma-separated `PRIVATE+KEY+…` signer keys; every one signs each checkpoint (rotation). Unset: a development key in the data folder. */
  AIDTRAIL_AUDIT_SIGNER_KEYS: list,
  /** Comma-separated verifier keys trusted besides the signers' own (old keys after a rotation). */
  AIDTRAIL_AUDIT_VERIFIER_KEYS: list,
  AIDTRAIL_AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
  AIDTRAIL_AUDIT_CHECKPOINT_LEAVES: z.coerce.number().int().min(1).default(100_000),
  AIDTRAIL_DATA_DIR: z.string().min(1).default(".aidtrail"),
});

export interface AuditConfig {
  origin: string;
  signerKeys: readonly string[];
  verifierKeys: readonly string[];
  checkpointIntervalMs: number;
  checkpointEveryLeaves: number;
  dataDir: string;
}

/** Thrown with one line per bad variable. */
export class AuditConfigError extends Error {
  override readonly name = "AuditConfigError";
}

/** Reads and validates the audit settings. */
export function readAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const parsed = auditConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = configProblems(parsed.error.issues);
    throw new AuditConfigError(`invalid audit configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    origin: c.AIDTRAIL_AUDIT_ORIGIN,
    signerKeys: c.AIDTRAIL_AUDIT_SIGNER_KEYS,
    verifierKeys: c.AIDTRAIL_AUDIT_VERIFIER_KEYS,
    checkpointIntervalMs: c.AIDTRAIL_AUDIT_CHECKPOINT_INTERVAL_MS,
    checkpointEveryLeaves: c.AIDTRAIL_AUDIT_CHECKPOINT_LEAVES,
    dataDir: path.resolve(c.AIDTRAIL_DATA_DIR),
  };
}
