import path from "node:path";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);

/** Database settings from the environment, validated at start. */
export const databaseConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  AIDTRAIL_DATA_DIR: z.string().min(1).default(".aidtrail"),
  AIDTRAIL_PG_PORT: port.default(54329),
});

export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** One line per bad setting, `  NAME: why`, for a ConfigError's message. */
export function configProblems(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string[] {
  return issues.map((i) => `  ${i.path.map(String).join(".")}: ${i.message}`);
}

/** Parses the environment; every bad variable is named in one message. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = databaseConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = configProblems(parsed.error.issues);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, AIDTRAIL_DATA_DIR: path.resolve(parsed.data.AIDTRAIL_DATA_DIR) };
}
