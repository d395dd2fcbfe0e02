import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../services/cli/bin/aidtrail.js");

/** Every child the suite started and has not seen exit: killed on the way out, whatever happened. */
const alive = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of alive) child.kill("SIGKILL");
});

/**
 * One `aidtrail <command>` child process (the API or the projector), with its recent output for
 * error messages. The pid is node itself (bin/aidtrail.js registers tsx in-process), so its RSS
 * is the service's.
 */
export class ServiceProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    /** Node's own flags (e.g. --cpu-prof), before the CLI. */
    private readonly nodeArgs: readonly string[] = [],
  ) {}

  /** Spawns the process; `ready` says when it is serving (polled every 100 ms, up to 120 s). */
  async start(ready: () => Promise<boolean>): Promise<void> {
    const child = spawn(process.execPath, [...this.nodeArgs, CLI, ...this.args], { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    alive.add(child);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => {
        alive.delete(child);
        resolve(code);
      });
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        this.output.push(line);
        if (this.output.length > 300) this.output.shift();
      }
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + 120_000;
    while (!(await ready().catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode} before it was ready:\n${this.tail()}`);
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.name} not ready after 120 s:\n${this.tail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut. */
  async kill(): Promise<void> {
    if (this.running) this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM and a graceful exit, SIGKILL after 20 s; the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill("SIGTERM");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 20_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Resident set size in MB, from /proc (Linux); undefined when not running. */
  async rssMb(): Promise<number | undefined> {
    if (!this.running || this.pid === undefined) return undefined;
    const status = await readFile(`/proc/${this.pid}/status`, "utf8").catch(() => "");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) / 1024) * 10) / 10;
  }

  /** The last lines of output, each cut short: enough to see why it failed. */
  tail(lines = 15): string {
    return this.output
      .slice(-lines)
      .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
      .join("\n");
  }
}
