import { readFile } from "node:fs/promises";
import { VerificationError, verifyReceipt } from "@aidtrail/audit/verify";
import { UsageError } from "../usage-error.js";
import { takeOption } from "./verify-keys.js";
import { exitFailed } from "./verify-exit.js";

/**
 * `aidtrail verify-receipt FILE --key VKEY [--key VKEY]… [--origin NAME]`: checks a
 * receipt offline — no database, no network, only the log's published verifier key.
 */
export async function verifyReceiptCommand(args: string[]): Promise<void> {
  const keys = takeOption(args, "key");
  const origin = takeOption(keys.rest, "origin");
  const [file, ...extra] = origin.rest;
  if (file === undefined || extra.length > 0 || keys.values.length === 0) {
    throw new UsageError("usage: aidtrail verify-receipt FILE --key VKEY [--key VKEY]… [--origin NAME]");
  }
  let receipt: unknown;
  try {
    receipt = JSON.parse(await readFile(file === "-" ? "/dev/stdin" : file, "utf8"));
  } catch (error) {
    throw new UsageError(`verify-receipt: cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const problem = problemAnswer(receipt);
  if (problem !== undefined) {
    // Saved from a refused or early request (e.g. 409 "not sealed yet"): say so instead of "malformed".
    throw new UsageError(`verify-receipt: ${file} holds no receipt but the server's answer ${problem}; ask for the receipt again`);
  }
  try {
    const v = await verifyReceipt(receipt, keys.values, origin.values[0] === undefined ? {} : { origin: origin.values[0] });
    process.stdout.write(
      `VALID: ${v.event.type} at position ${v.event.position} (stream ${v.event.streamId}) is leaf ${v.leafIndex} ` +
        `of the ${v.treeSize}-leaf tree of ${v.origin}, root ${v.root}, signed by ${v.verifiedBy.join(", ")}\n`,
    );
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    process.stdout.write(`INVALID (${error.code}): ${error.message}\n`);
    exitFailed();
  }
}

/** "409 Not sealed yet: …" when `value` is a problem+json document (RFC 9457) rather than a receipt. */
function problemAnswer(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || "version" in value) return undefined;
  const { status, title, detail } = value as { status?: unknown; title?: unknown; detail?: unknown };
  if (typeof status !== "number" || typeof title !== "string") return undefined;
  return `${status} ${title}${typeof detail === "string" ? `: ${detail}` : ""}`;
}
