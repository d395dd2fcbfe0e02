import { ConfigError, readDatabaseConfig } from "@aidtrail/db";
import { z } from "zod";

const serverSchema = z.object({
  AIDTRAIL_HOST: z.string().min(1).default("127.0.0.1"),
  AIDTRAIL_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AIDTRAIL_PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type RuntimeConfig = ReturnType<typeof readDatabaseConfig> & z.infer<typeof serverSchema>;

/** Every setting of `aidtrail start`, validated; one message names every bad variable. */
export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const server = serverSchema.safeParse(env);
  const problems: string[] = [];
  if (!server.success) problems.push(...server.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`));
  let database: ReturnType<typeof readDatabaseConfig> | undefined;
  try {
    database = readDatabaseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split("\n").slice(1));
  }
  if (problems.length > 0 || !server.success || !database) {
    throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
  }
  return { ...database, ...server.data };
}
