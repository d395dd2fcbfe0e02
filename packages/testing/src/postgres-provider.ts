import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@aidtrail/db";
import { withTimeout } from "./with-timeout.js";

export interface ProvidedPostgres {
  /** URL of a maintenance database where test databases can be created. */
  adminUrl: string;
  /** Where it came from, printed so a reader knows which PostgreSQL the tests ran on. */
  source: "DATABASE_URL" | "testcontainers" | "embedded";
  stop(): Promise<void>;
}

/** DATABASE_URL if set, else testcontainers if a container runtime answers, else embedded PostgreSQL. */
export async function providePostgres(log: (line: string) => void = () => {}): Promise<ProvidedPostgres> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { adminUrl: fromEnv, source: "DATABASE_URL", stop: async () => {} };

  const container = await tryTestcontainers(log);
  if (container) return container;

  const dir = await mkdtemp(path.join(os.tmpdir(), "aidtrail-test-pg-"));
  // The server runs as the unprivileged postgres user when we are root: it must reach the folder.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  return {
    adminUrl: server.adminUrl,
    source: "embedded",
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function tryTestcontainers(log: (line: string) => void): Promise<ProvidedPostgres | undefined> {
  if (process.env.AIDTRAIL_NO_CONTAINERS === "1") return undefined;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    // Bounded: without a runtime the client can take long to give up.
    await withTimeout(getContainerRuntimeClient(), 3_000);
  } catch {
    log("no container runtime answers: using embedded PostgreSQL");
    return undefined;
  }
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer("postgres:15-alpine").start();
  return {
    adminUrl: container.getConnectionUri(),
    source: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
