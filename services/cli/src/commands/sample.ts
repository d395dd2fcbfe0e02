import { parseArgs } from "node:util";
import { ApiClient } from "../api-client.js";
import { UsageError } from "../usage-error.js";

const USAGE = "usage: aidtrail sample --seed TEXT --from YYYY-MM-DD --to YYYY-MM-DD [--per-village N] [--village ID]";

/** `aidtrail sample`: draws the reproducible field-visit sample (GET /v1/verifications/sample) as an inspector, one line per payment. */
export async function sample(args: string[]): Promise<void> {
  let values: { seed?: string; from?: string; to?: string; "per-village"?: string; village?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { seed: { type: "string" }, from: { type: "string" }, to: { type: "string" }, "per-village": { type: "string" }, village: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.seed || !values.from || !values.to) throw new UsageError(`--seed, --from and --to are required\n${USAGE}`);
  const query = new URLSearchParams({ seed: values.seed, paidFrom: values.from, paidTo: values.to, perVillage: values["per-village"] ?? "10", ...(values.village ? { villageId: values.village } : {}) });
  const api = await ApiClient.fromEnvironment();
  const res = await api.request("GET", `/v1/verifications/sample?${query}`, api.auth("cli-inspector", ["inspector"]));
  if (res.status !== 200) throw new UsageError(`the API answered ${res.status}: ${res.body}`);
  const body = res.json<{ villages: Array<{ villageId: string; population: number; sample: Array<{ disbursementId: string; householdId: string; programId: string; amountFen: number; paidOn: string }> }> }>();
  for (const v of body.villages) {
    process.stdout.write(`# ${v.villageId}: ${v.sample.length} of ${v.population} paid disbursements\n`);
    for (const d of v.sample) process.stdout.write(`${d.disbursementId}\t${d.householdId}\t${d.programId}\t${d.amountFen}\t${d.paidOn}\n`);
  }
}
