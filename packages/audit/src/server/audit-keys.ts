import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { generateNoteKey, type NoteSigner, noteSignerFromKey } from "../signed-note.js";
import { type AuditConfig, AuditConfigError } from "./audit-config.js";

/** File name of the development signer key inside the data folder. */
export const DEV_KEY_FILE = "audit-signer.key";

/** Who signs checkpoints, and which keys a verifier of this log trusts. */
export interface AuditKeys {
  readonly signers: readonly NoteSigner[];
  /** Signers' verifier keys first, then the configured extra ones; no duplicates. */
  readonly verifierKeys: readonly string[];
  /** Where the signer keys came from, for the start-up log line. */
  readonly source: "environment" | "development-key" | "none";
}

/**
 * Loads the signer keys: from AIDTRAIL_AUDIT_SIGNER_KEYS in production, otherwise the
 * development key in `<data dir>/audit-signer.key`, created (mode 0600) on first use
 * when `create` is set. Read-only tools pass `create: false` and may end with no signer.
 */
export async function loadAuditKeys(config: AuditConfig, options: { create?: boolean } = {}): Promise<AuditKeys> {
  let signers: NoteSigner[];
  let source: AuditKeys["source"];
  if (config.signerKeys.length > 0) {
    signers = config.signerKeys.map((key, i) => {
      try {
        return noteSignerFromKey(key);
      } catch (error) {
        throw new AuditConfigError(`AIDTRAIL_AUDIT_SIGNER_KEYS[${i}]: ${(error as Error).message}`);
      }
    });
    source = "environment";
  } else {
    const key = await devSignerKey(config, options.create ?? true);
    signers = key === undefined ? [] : [noteSignerFromKey(key)];
    source = key === undefined ? "none" : "development-key";
  }
  const verifierKeys = [...new Set([...signers.map((s) => s.verifierKey), ...config.verifierKeys])];
  return { signers, verifierKeys, source };
}

async function devSignerKey(config: AuditConfig, create: boolean): Promise<string | undefined> {
  const file = path.join(config.dataDir, DEV_KEY_FILE);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !create) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }
  await mkdir(config.dataDir, { recursive: true });
  const { signerKey } = generateNoteKey(config.origin);
  try {
    // "wx": two processes starting at once must not each write a different key.
    await writeFile(file, `${signerKey}\n`, { mode: 0o600, flag: "wx" });
    return signerKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return (await readFile(file, "utf8")).trim();
  }
}
