import { parseArgs } from "node:util";
import { Principal, loadOrCreateJwtKey, parseTtl, signHs256 } from "@aidtrail/api";
import { readDatabaseConfig } from "@aidtrail/db";
import { UsageError } from "../usage-error.js";

const USAGE = "usage: aidtrail token --role <role>[,<role>…] --sub <user> [--scope township|village:<villageId>] [--ttl 8h]";

/**
 * `aidtrail token`: mints a development token signed with `<AIDTRAIL_DATA_DIR>/jwt.key`, the key
 * `aidtrail start` verifies with unless AIDTRAIL_JWT_SECRET or AIDTRAIL_JWT_PUBLIC_KEY is set.
 * Prints the token alone on stdout so `TOKEN=$(aidtrail token …)` works.
 */
export async function token(args: string[]): Promise<void> {
  let values: { role?: string[]; sub?: string; scope?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { role: { type: "string", multiple: true }, sub: { type: "string" }, scope: { type: "string" }, ttl: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const claims = Principal.safeParse({
    sub: values.sub,
    roles: (values.role ?? []).flatMap((r) => r.split(",")).filter((r) => r.length > 0),
    scope: values.scope ?? "township",
  });
  if (!claims.success) {
    throw new UsageError(`${claims.error.issues.map((i) => `--${i.path[0] === "roles" ? "role" : String(i.path[0])}: ${i.message}`).join("; ")}\n${USAGE}`);
  }
  let ttlSeconds: number;
  try {
    ttlSeconds = parseTtl(values.ttl ?? "8h");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { AIDTRAIL_DATA_DIR } = readDatabaseConfig();
  const secret = await loadOrCreateJwtKey(AIDTRAIL_DATA_DIR);
  process.stdout.write(`${signHs256(claims.data, secret, ttlSeconds)}\n`);
}
