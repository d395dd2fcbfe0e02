import { domainEventSchemas } from "@aidtrail/domain";
import { InMemoryEventStore } from "@aidtrail/event-store";
import { createInMemoryPiiVault } from "./pii/pii-vault.js";
import { testPiiKeys } from "./testing/command-fixtures.js";
import { runCrashResumeSuite } from "./testing/crash-resume-suite.js";

runCrashResumeSuite("InMemoryEventStore", async () => ({
  store: new InMemoryEventStore({ registry: domainEventSchemas }),
  vault: createInMemoryPiiVault(testPiiKeys),
  teardown: async () => {},
}));
