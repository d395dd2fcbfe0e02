import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ApiClient } from "../api-client.js";
import { UsageError } from "../usage-error.js";

const USAGE = "usage: aidtrail report --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv|xlsx] [--out FILE]";

/**
 * `aidtrail report`: the summary report from the running API (GET /v1/reports/summary) as an
 * auditor; to stdout, or to --out FILE (xlsx needs --out: it is binary).
 */
export async function report(args: string[]): Promise<void> {
  let values: { from?: string; to?: string; format?: string; out?: string };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: "string" }, to: { type: "string" }, format: { type: "string" }, out: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { from, to, format = "json", out } = values;
  if (!from || !to) throw new UsageError(`--from and --to are required\n${USAGE}`);
  if (!["json", "csv", "xlsx"].includes(format)) throw new UsageError(`--format must be json, csv or xlsx\n${USAGE}`);
  if (format === "xlsx" && !out) throw new UsageError(`--format xlsx writes a binary file: give --out FILE\n${USAGE}`);
  const api = await ApiClient.fromEnvironment();
  const res = await api.request("GET", `/v1/reports/summary?from=${from}&to=${to}&format=${format}`, api.auth("cli-auditor", ["auditor"]));
  if (res.status !== 200) throw new UsageError(`the API answered ${res.status}: ${res.body}`);
  const payload = format === "json" ? `${JSON.stringify(res.json(), null, 2)}\n` : res.bytes;
  if (out) {
    await writeFile(out, payload);
    process.stderr.write(`report ${from} … ${to} (${format}) written to ${out}\n`);
  } else {
    process.stdout.write(payload);
  }
}
