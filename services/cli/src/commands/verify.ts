import { verifyLog } from "@aidtrail/audit/server";
import { sql } from "kysely";
import { createLogger } from "../logger.js";
import { readRuntimeConfig } from "../runtime-config.js";
import { openSystem } from "../system.js";
import { UsageError } from "../usage-error.js";
import { takeOption, trustedKeys } from "./verify-keys.js";
import { exitFailed } from "./verify-exit.js";

/**
 * `aidtrail verify [--key VKEY]…`: replays the whole log, recomputes every leaf, tile and
 * root, and compares them with the stored tiles and every signed checkpoint. Prints the
 * first mismatching position and exits 1.
 */
export async function verify(args: string[]): Promise<void> {
  const { values, rest } = takeOption(args, "key");
  if (rest.length > 0) throw new UsageError(`verify: unexpected ${rest.join(" ")} (usage: aidtrail verify [--key VKEY]…)`);
  const { keys } = await trustedKeys(values);
  const config = readRuntimeConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const system = await openSystem(config, log);
  const out = process.stdout;
  const err = process.stderr;
  let failed = false;
  try {
    if (keys.length === 0) err.write("aidtrail verify: no verifier key configured: checkpoint signatures are NOT checked (set AIDTRAIL_AUDIT_VERIFIER_KEYS or pass --key)\n");
    const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(system.db);
    const total = Number(rows[0]?.n ?? 0);
    const started = performance.now();
    const progress = (done: number) => {
      if (!err.isTTY) return;
      const rate = done / Math.max((performance.now() - started) / 1000, 0.001);
      err.write(`\rverify ${done.toLocaleString("en")}/${total.toLocaleString("en")} events (${Math.round(rate).toLocaleString("en")}/s)\x1b[K`);
    };
    const result = await verifyLog({ db: system.db, store: system.eventStore, trustedKeys: keys, onProgress: progress });
    if (err.isTTY) err.write("\r\x1b[K");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      out.write(`OK: ${result.events} events replayed, ${result.sealedSize} sealed leaves and ${result.checkpoints} signed checkpoints match (${seconds} s)\n`);
      return;
    }
    const m = result.mismatch;
    const where = m.position !== null ? `position ${m.position}${m.leafIndex !== null ? ` (leaf ${m.leafIndex})` : ""}` : "the audit log";
    out.write(`MISMATCH at ${where}: ${m.reason}\n`);
    failed = true;
  } finally {
    await system.close();
  }
  if (failed) exitFailed();
}
