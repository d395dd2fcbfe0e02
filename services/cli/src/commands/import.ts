import { parseArgs } from "node:util";
import { NO_PROJECTION_WAIT } from "@aidtrail/api";
import { ApiClient } from "../api-client.js";
import { type ImportItem, type RowError, disbursementItems, householdItems } from "../import/import-rows.js";
import { readTable } from "../import/read-table.js";
import { createProgress } from "../progress.js";
import { UsageError } from "../usage-error.js";

const USAGE = "usage: aidtrail import households|disbursements FILE.csv|FILE.xlsx [--dry-run] [--concurrency N]";

/**
 * Requests in flight. The service groups concurrent writes to one stream, so more in flight
 * means more rows per round trip: `pnpm bench import --concurrency 16,64` measured 11 → 30
 * rows/s at the same load (when each answer still waited for the projector).
 */
const DEFAULT_CONCURRENCY = "64";

/**
 * `aidtrail import`: every row is validated before anything is sent, and one bad row means
 * nothing is sent (errors name line, column and what is wrong). Then each household or payment
 * goes through the running API with its client-chosen id, so a re-run answers the rows already
 * done with their first answer and writes nothing twice. What the domain refuses once sent (a
 * budget spent, an ineligible household) is itself a recorded fact and is listed by line.
 */
export async function importCommand(args: string[]): Promise<void> {
  let parsed: { values: { "dry-run"?: boolean; concurrency?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { "dry-run": { type: "boolean" }, concurrency: { type: "string" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [kind, file] = parsed.positionals;
  if ((kind !== "households" && kind !== "disbursements") || !file) throw new UsageError(USAGE);
  const concurrency = Number(parsed.values.concurrency ?? DEFAULT_CONCURRENCY);
  // NaN would start no worker at all and still report every row as recorded.
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a positive integer\n${USAGE}`);
  const { rows } = await readTable(file);
  const { items, errors } = kind === "households" ? householdItems(rows) : disbursementItems(rows);
  if (errors.length > 0) {
    printErrors(file, errors);
    process.stderr.write(`${errors.length} error(s) in ${rows.length} rows: nothing imported\n`);
    process.exitCode = 1;
    return;
  }
  if (parsed.values["dry-run"]) {
    process.stderr.write(`${file}: ${rows.length} rows, ${items.length} ${kind}, no errors (dry run: nothing sent)\n`);
    return;
  }
  const api = await ApiClient.fromEnvironment();
  // The import never reads its own writes: it need not wait for the read models after each row.
  const headers = { ...api.auth("cli-import", ["officer"]), prefer: NO_PROJECTION_WAIT };
  const path = kind === "households" ? "/v1/households" : "/v1/disbursements";
  const progress = createProgress(`import ${kind} ${file}`, items.length, "rows");
  const refused: Array<{ item: ImportItem; status: number; detail: string }> = [];
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (next < items.length) {
        const item = items[next++] as ImportItem;
        const res = await api.request("POST", path, headers, item.body);
        if (res.status >= 300) refused.push({ item, status: res.status, detail: detailOf(res.body) });
        progress.update(++done);
      }
    }),
  );
  progress.finish(`${items.length - refused.length} ${kind} recorded, ${refused.length} refused`);
  for (const r of refused.sort((a, b) => (a.item.lines[0] ?? 0) - (b.item.lines[0] ?? 0))) {
    process.stderr.write(`${file}: line ${r.item.lines.join(",")}: ${r.item.id} refused (${r.status}): ${r.detail}\n`);
  }
  if (refused.length > 0) process.exitCode = 1;
}

function detailOf(body: string): string {
  try {
    const p = JSON.parse(body) as { detail?: string; title?: string };
    return p.detail ?? p.title ?? body;
  } catch {
    return body.slice(0, 200);
  }
}

function printErrors(file: string, errors: readonly RowError[]): void {
  for (const e of errors) process.stderr.write(`${file}: line ${e.line}, column ${e.column}: ${e.message}\n`);
}
