import { readdirSync, readFileSync } from "node:fs";
import { type Kysely, sql } from "kysely";

/** The PostgreSQL server's postmaster, whose children are every backend (reading, writing, WAL, checkpoints). */
export async function postmasterPid(db: Kysely<any>): Promise<number | undefined> {
  const { rows } = await sql<{ dir: string }>`select current_setting('data_directory') as dir`.execute(db);
  try {
    return Number(readFileSync(`${rows[0]!.dir}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return undefined; // a server on another host or of another user: its CPU is not ours to see
  }
}

/** CPU time of the postmaster and all its children, exited ones included (NaN when the server is not local). */
export function postgresCpuMicros(postmaster: number | undefined): number {
  if (postmaster === undefined) return Number.NaN;
  let total = procCpuMicros(`/proc/${postmaster}/stat`, true);
  for (const pid of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(fields[1]) === postmaster) total += procCpuMicros(`/proc/${pid}/stat`);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** utime + stime (and with `exitedChildren` cutime + cstime) of a /proc stat file, in µs (clock ticks of 10 ms). */
export function procCpuMicros(file: string, exitedChildren = false): number {
  try {
    const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
    const children = exitedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (Number(fields[11]) + Number(fields[12]) + children) * 10_000;
  } catch {
    return 0;
  }
}
