import { consistencyProofFor, readCheckpoints, type StoredCheckpoint } from "@aidtrail/audit/server";
import { VerificationError, verifyCheckpointConsistency } from "@aidtrail/audit/verify";
import { createLogger } from "../logger.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";
import { UsageError } from "../usage-error.js";
import { takeOption, trustedKeys } from "./verify-keys.js";
import { exitFailed } from "./verify-exit.js";

/**
 * `aidtrail verify-consistency [--key VKEY]…`: every consecutive pair of stored signed
 * checkpoints must be provably consistent (the later tree extends the earlier), so no
 * signed history was ever rewritten.
 */
export async function verifyConsistencyCommand(args: string[]): Promise<void> {
  const { values, rest } = takeOption(args, "key");
  if (rest.length > 0) throw new UsageError(`verify-consistency: unexpected ${rest.join(" ")}`);
  const { keys } = await trustedKeys(values);
  if (keys.length === 0) throw new UsageError("verify-consistency: no verifier key (set AIDTRAIL_AUDIT_VERIFIER_KEYS or pass --key)");
  const config = readRuntimeConfig();
  const system = await openSystem(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL));
  let failed = false;
  try {
    let previous: StoredCheckpoint | undefined;
    let pairs = 0;
    for (;;) {
      const page = await readCheckpoints(system.db, { afterSize: previous?.treeSize ?? 0, limit: 1000 });
      for (const checkpoint of page) {
        if (previous !== undefined) {
          const proof = await consistencyProofFor(system.db, { from: previous.treeSize, to: checkpoint.treeSize });
          try {
            await verifyCheckpointConsistency(previous.note, checkpoint.note, proof.proof, keys);
          } catch (error) {
            if (!(error instanceof VerificationError)) throw error;
            process.stdout.write(`INCONSISTENT: checkpoints ${previous.treeSize} → ${checkpoint.treeSize}: ${error.message}\n`);
            failed = true;
            return;
          }
          pairs++;
        }
        previous = checkpoint;
      }
      if (page.length < 1000) break;
    }
    process.stdout.write(`OK: ${pairs} consecutive checkpoint pairs are consistent${previous ? ` (up to size ${previous.treeSize})` : ""}\n`);
  } finally {
    await system.close();
    if (failed) exitFailed();
  }
}
