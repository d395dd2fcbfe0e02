import { rmSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type RunningPostgres, startEmbeddedPostgres } from "@aidtrail/db";
import { freePort } from "@aidtrail/testing";

/**
 * A PostgreSQL of the suite's own (embedded, a free port, a temp folder) that it may stop and
 * start under the service's feet. Never the machine's server, never the tests' shared one.
 */
export class ControlledPostgres {
  private running: RunningPostgres | undefined;

  private constructor(
    readonly folder: string,
    readonly port: number,
    readonly url: string,
  ) {}

  static async start(log: (line: string) => void = () => {}): Promise<ControlledPostgres> {
    const folder = await mkdtemp(path.join(os.tmpdir(), "aidtrail-reliability-pg-"));
    // The server runs as the unprivileged postgres user when we are root: it must reach the folder.
    await chmod(folder, 0o755);
    removeOnExit(folder);
    const port = await freePort();
    const running = await startEmbeddedPostgres({ dataDir: path.join(folder, "pg"), port, database: "aidtrail", onLog: log });
    const controlled = new ControlledPostgres(folder, port, running.url);
    controlled.running = running;
    return controlled;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Fast shutdown (SIGINT): open sessions are terminated, as when an operator stops the server. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.stop();
  }

  /** Starts the same cluster again on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.running) return;
    this.running = await startEmbeddedPostgres({ dataDir: path.join(this.folder, "pg"), port: this.port, database: "aidtrail" });
  }

  /** Stops the server and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** Removes `folder` when the process exits, even on an interrupted run (destroy() does it otherwise). */
export function removeOnExit(folder: string): void {
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
}
