import { domainEventSchemas } from "@aidtrail/domain";
import { InMemoryEventStore } from "@aidtrail/event-store";
import { createInMemoryPiiVault } from "../pii/pii-vault.js";
import { testPiiKeys } from "../testing/command-fixtures.js";
import { runSagaRecheckSuite } from "../testing/saga-recheck-suite.js";

// The in-memory store's appendMany checks and writes in one synchronous step: the same guarantee as PostgreSQL's.
runSagaRecheckSuite("InMemoryEventStore", async () => ({
  store: new InMemoryEventStore({ registry: domainEventSchemas }),
  vault: createInMemoryPiiVault(testPiiKeys),
  teardown: async () => {},
}));
