import { ConfigError, configProblems, readDatabaseConfig } from "@aidtrail/db";
import { z } from "zod";

const serverSchema = z.object({
  AIDTRAIL_HOST: z.string().min(1).default("127.0.0.1"),
  AIDTRAIL_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AIDTRAIL_PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  // "false" when `aidtrail projector` runs as a process of its own beside the API.
  AIDTRAIL_INLINE_PROJECTOR: z
    .enum(["true", "false"], { message: 'must be "true" or "false"' })
    .default("true")
    .transform((v) => v === "true"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

const key32 = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
  .optional();

/** Personal-data keys; without them the development keys in the data folder are used. */
const piiSchema = z
  .object({ AIDTRAIL_PII_MASTER_KEY: key32, AIDTRAIL_PII_INDEX_KEY: key32 })
  .refine((c) => Boolean(c.AIDTRAIL_PII_MASTER_KEY) === Boolean(c.AIDTRAIL_PII_INDEX_KEY), {
    message: "set both AIDTRAIL_PII_MASTER_KEY and AIDTRAIL_PII_INDEX_KEY, or neither",
    path: ["AIDTRAIL_PII_MASTER_KEY"],
  });

/** The HTTP API's settings; without a JWT key the development key in the data folder is used. */
const apiSchema = z
  .object({
    AIDTRAIL_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AIDTRAIL_JWT_PUBLIC_KEY: z.string().includes("-----BEGIN PUBLIC KEY-----", { message: "must be a PEM public key" }).optional(),
    AIDTRAIL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6_000),
    AIDTRAIL_WAIT_FOR_PROJECTION_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
    AIDTRAIL_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    AIDTRAIL_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(50 * 1024 * 1024).default(256 * 1024),
  })
  .refine((c) => !(c.AIDTRAIL_JWT_SECRET && c.AIDTRAIL_JWT_PUBLIC_KEY), {
    message: "set AIDTRAIL_JWT_SECRET or AIDTRAIL_JWT_PUBLIC_KEY, not both",
    path: ["AIDTRAIL_JWT_SECRET"],
  });

export type RuntimeConfig = ReturnType<typeof readDatabaseConfig> &
  z.infer<typeof serverSchema> &
  z.infer<typeof apiSchema> &
  z.infer<typeof piiSchema>;

/** Every setting of `aidtrail start`, validated; one message names every bad variable. */
export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const server = serverSchema.safeParse(env);
  const api = apiSchema.safeParse(env);
  const pii = piiSchema.safeParse(env);
  const problems: string[] = [];
  if (!server.success) problems.push(...configProblems(server.error.issues));
  if (!api.success) problems.push(...configProblems(api.error.issues));
  if (!pii.success) problems.push(...configProblems(pii.error.issues));
  let database: ReturnType<typeof readDatabaseConfig> | undefined;
  try {
    database = readDatabaseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split("\n").slice(1));
  }
  if (problems.length > 0 || !server.success || !api.success || !pii.success || !database) {
    throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
  }
  return { ...database, ...server.data, ...api.data, ...pii.data };
}
