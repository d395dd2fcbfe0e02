import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { withTimeout } from "@aidtrail/testing";
import { describe, it } from "vitest";
import { runEventStoreContract } from "../contract/event-store-contract.js";
import { EventStoreDbEventStore } from "./eventstoredb-event-store.js";

/** The KurrentDB image the suite starts when a container runtime answers. */
const IMAGE = "docker.eventstore.com/kurrent-latest/kurrentdb:25.1";
const RUNTIME_TIMEOUT_MS = 3_000;

interface ProvidedKurrentDb {
  url: string;
  source: "EVENTSTORE_URL" | "testcontainers";
  stop(): Promise<void>;
}

/** EVENTSTORE_URL if set, else a KurrentDB container if a runtime answers within 3 s, else why not. */
async function provideKurrentDb(): Promise<ProvidedKurrentDb | { skip: string }> {
  const fromEnv = process.env.EVENTSTORE_URL;
  if (fromEnv) return { url: fromEnv, source: "EVENTSTORE_URL", stop: async () => {} };
  if (process.env.AIDTRAIL_NO_CONTAINERS === "1") {
    return { skip: "EVENTSTORE_URL is not set and AIDTRAIL_NO_CONTAINERS=1" };
  }
  let tc: typeof import("testcontainers");
  try {
    tc = await loadTestcontainers();
    await withTimeout(tc.getContainerRuntimeClient(), RUNTIME_TIMEOUT_MS);
  } catch (error) {
    return {
      skip: `EVENTSTORE_URL is not set and no container runtime answers within ${RUNTIME_TIMEOUT_MS / 1000} s (${firstLine(error)})`,
    };
  }
  const container = await new tc.GenericContainer(IMAGE)
    .withEnvironment({
      KURRENTDB_INSECURE: "true",
      KURRENTDB_MEM_DB: "true",
      KURRENTDB_RUN_PROJECTIONS: "None",
      KURRENTDB_ENABLE_ATOM_PUB_OVER_HTTP: "false",
    })
    .withExposedPorts(2113)
    .withWaitStrategy(tc.Wait.forHttp("/health/live", 2113).forStatusCode(204))
    .withStartupTimeout(120_000)
    .start();
  return {
    url: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    source: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * testcontainers is a dependency of @aidtrail/testing, not of this package: resolve it
 * from there rather than adding a second copy to the event store's dependencies.
 */
async function loadTestcontainers(): Promise<typeof import("testcontainers")> {
  const testingEntry = createRequire(import.meta.url).resolve("@aidtrail/testing");
  const entry = createRequire(testingEntry).resolve("testcontainers");
  return (await import(pathToFileURL(entry).href)) as typeof import("testcontainers");
}

const provided = await provideKurrentDb();

if ("skip" in provided) {
  // Printed so the test output says why the suite did not run, not only that it did not.
  console.log(`EventStore contract: eventstoredb skipped: ${provided.skip}`);
  describe.skip(`EventStore contract: eventstoredb (skipped: ${provided.skip})`, () => {
    it("runs against KurrentDB", () => {});
  });
} else {
  console.log(`EventStore contract: eventstoredb on ${provided.source}`);
  runEventStoreContract(`eventstoredb (${provided.source})`, async () => ({
    makeStore: (options) => new EventStoreDbEventStore({ ...options, connection: provided.url }),
    // No appendHeldOpen: an ESDB append has no transaction a test could hold open.
    teardown: () => provided.stop(),
  }));
}


function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
