import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Role } from "@aidtrail/domain";
import type { Scope } from "./principal.js";

const FILE = "jwt.key";

/**
 * Development only: the HS256 signing secret in `<dataDir>/jwt.key` (mode 0600), created on first
 * use. Production configures AIDTRAIL_JWT_SECRET or AIDTRAIL_JWT_PUBLIC_KEY instead.
 */
export async function loadOrCreateJwtKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    // "wx": two processes starting at once cannot both create it; the loser reads the winner's.
    await writeFile(file, `${randomBytes(32).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  const key = (await readFile(file, "utf8")).trim();
  if (key.length < 32) throw new Error(`${file} does not hold a signing key`);
  return key;
}

/** "8h", "30m", "2d", "45s" or plain seconds → seconds. */
export function parseTtl(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`ttl ${JSON.stringify(text)}: expected a number and s, m, h or d (e.g. 8h)`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  const seconds = Number(m[1]) * unit;
  if (seconds <= 0) throw new Error("ttl must be positive");
  return seconds;
}

export interface TokenClaims {
  sub: string;
  roles: readonly Role[];
  scope: Scope;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An HS256 JWT; written by hand (a dozen lines) so the CLI needs no JWT library of its own. */
export function signHs256(claims: TokenClaims, secret: string, ttlSeconds: number, now: Date = new Date()): string {
  const iat = Math.floor(now.getTime() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, roles: [...claims.roles], iat, exp: iat + ttlSeconds })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
