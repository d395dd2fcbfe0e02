import { domainEventSchemas } from "@aidtrail/domain";
import { InMemoryEventStore } from "@aidtrail/event-store";
import { createInMemoryPiiVault } from "./pii/pii-vault.js";
import { testPiiKeys } from "./testing/command-fixtures.js";
import { runInvariantSuite } from "./testing/invariant-suite.js";

// The saga needs no multi-stream transaction: the same suite passes on the in-memory adapter.
runInvariantSuite("InMemoryEventStore", async () => ({
  store: new InMemoryEventStore({ registry: domainEventSchemas }),
  vault: createInMemoryPiiVault(testPiiKeys),
  teardown: async () => {},
}));
