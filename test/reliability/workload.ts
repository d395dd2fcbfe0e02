import { randomUUID } from "node:crypto";
import { loadOrCreateJwtKey, signHs256 } from "@aidtrail/api";

export const VILLAGE = "rel-village";
/** Monthly solar subsidy with a budget far above what a run spends. */
export const AMPLE_PROGRAM = "rel-solar";
/** The same kind of program with a budget that runs out halfway: refusals under concurrency. */
export const TIGHT_PROGRAM = "rel-tight";
export const AMOUNT_FEN = 50_000;
/** Months a household is paid for at most: sizes the household count. */
const MONTHS_PER_HOUSEHOLD = 240;

export interface Workload {
  households: number;
  /** One officer token per client. */
  officerTokens: string[];
  nextPayment: () => Record<string, unknown> & { disbursementId: string };
}

/** What `aidtrail token` mints, signed in-process with the data folder's key (a CLI start per token is slow). */
async function token(env: NodeJS.ProcessEnv, role: "admin" | "officer", sub: string, scope: "township" | `village:${string}` = "township"): Promise<string> {
  const secret = await loadOrCreateJwtKey(env.AIDTRAIL_DATA_DIR ?? "");
  return signHs256({ sub, roles: [role], scope }, secret, 8 * 3600);
}

async function post(base: string, bearer: string, url: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`setup POST ${url} answered ${res.status}: ${await res.text()}`);
}

const householdId = (h: number) => `rh-${String(h).padStart(5, "0")}`;

function solarProgram(programId: string) {
  return {
    programId,
    name: `光伏扶贫 (${programId})`,
    kind: "solar_subsidy",
    fundingSource: "central",
    rule: { kind: "solar_subsidy", version: 1, approvalThresholdFen: 10_000_000, postExitMonths: 0, perMember: false, granularity: "month", amountPerPeriodFen: AMOUNT_FEN },
  };
}

/**
 * Households, two programs and their budgets, set up through the API as an admin and an officer
 * would, sized for `expectedPayments`. Every fifth payment goes to the tight program, whose
 * budget covers a quarter of those planned (fewer are sent when clients wait on a slow service);
 * no two payments share a household, program and month.
 */
export async function setUpWorkload(base: string, env: NodeJS.ProcessEnv, clients: number, expectedPayments: number): Promise<Workload> {
  const households = Math.max(20, Math.ceil(expectedPayments / MONTHS_PER_HOUSEHOLD));
  const admin = await token(env, "admin", "rel-admin");
  const officerTokens = await Promise.all(
    Array.from({ length: clients }, (_, i) => token(env, "officer", `rel-officer-${i + 1}`, `village:${VILLAGE}`)),
  );
  const registrar = officerTokens[0]!;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let h = next++; h < households; h = next++) {
        const id = householdId(h);
        await post(base, registrar, "/v1/households", {
          householdId: id,
          villageId: VILLAGE,
          headMemberId: `${id}-1`,
          members: [
            { memberId: `${id}-1`, name: "李四", nationalId: `32010219800501${String(h % 10_000).padStart(4, "0")}`, birthDate: "1980-05-01", relation: "head", schoolLevel: null, health: "healthy" },
          ],
          povertyCause: "illness",
          registeredOn: "1999-01-10",
        });
      }
    }),
  );
  await post(base, admin, "/v1/programs", solarProgram(AMPLE_PROGRAM));
  await post(base, admin, `/v1/programs/${AMPLE_PROGRAM}/allocations`, { allocationId: "rel-ample", amountFen: 1_000_000_000_000, period: "2024" });
  await post(base, admin, "/v1/programs", solarProgram(TIGHT_PROGRAM));
  const tightSlots = Math.max(5, Math.floor(expectedPayments / 20));
  await post(base, admin, `/v1/programs/${TIGHT_PROGRAM}/allocations`, { allocationId: "rel-tight", amountFen: tightSlots * AMOUNT_FEN, period: "2024" });

  const counters = { [AMPLE_PROGRAM]: 0, [TIGHT_PROGRAM]: 0 };
  let k = 0;
  const nextPayment = () => {
    const programId = k++ % 5 === 4 ? TIGHT_PROGRAM : AMPLE_PROGRAM;
    const j = counters[programId]++;
    const month = Math.floor(j / households);
    return {
      disbursementId: `rel-${randomUUID()}`,
      householdId: householdId(j % households),
      programId,
      period: `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`,
      amountFen: AMOUNT_FEN,
      paidOn: "2024-03-15",
      channel: "one_card",
      reference: `rel-ref-${k}`,
    };
  };
  return { households, officerTokens, nextPayment };
}
