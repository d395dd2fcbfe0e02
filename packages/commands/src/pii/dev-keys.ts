import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type PiiKeys, assertPiiKeys } from "./pii-keys.js";

const FILE = "pii-keys.json";

/**
 * Development only: the PII keys in `<dataDir>/pii-keys.json` (mode 0600), created on first use.
 * Production passes keys from its secret store; losing this file loses every sealed value.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<PiiKeys> {
  const file = path.join(dataDir, FILE);
  await mkdir(dataDir, { recursive: true });
  const fresh = JSON.stringify({ masterKey: randomBytes(32).toString("base64"), indexKey: randomBytes(32).toString("base64") });
  try {
    // "wx": two processes starting at once cannot both create it; the loser reads the winner's.
    await writeFile(file, `${fresh}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  const parsed = JSON.parse(await readFile(file, "utf8")) as { masterKey?: unknown; indexKey?: unknown };
  if (typeof parsed.masterKey !== "string" || typeof parsed.indexKey !== "string") throw new Error(`${file} is not a PII key file`);
  return assertPiiKeys({ masterKey: Buffer.from(parsed.masterKey, "base64"), indexKey: Buffer.from(parsed.indexKey, "base64") });
}
