import { domainEventSchemas } from "@aidtrail/domain";
import { type EventStore, PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase } from "@aidtrail/testing";
import { inject } from "vitest";
import { createPostgresPiiVault } from "./pii/pii-vault.js";
import { testPiiKeys } from "./testing/command-fixtures.js";
import { type InvariantSubject, runInvariantSuite } from "./testing/invariant-suite.js";
import { withoutAppendMany } from "./testing/without-append-many.js";

async function onPostgres(adapt: (store: EventStore) => EventStore): Promise<InvariantSubject> {
  const database = await createTestDatabase(inject("pgAdminUrl"));
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  return {
    store: adapt(store),
    vault: createPostgresPiiVault(database.db, testPiiKeys),
    async teardown() {
      await store.close();
      await database.drop();
    },
  };
}

// New payments that will be recorded take one multi-stream append here...
runInvariantSuite("PostgreSQL", () => onPostgres((store) => store));
// ...and the saga, step by step, where the store has no appendMany (as on EventStoreDB).
runInvariantSuite("PostgreSQL without appendMany", () => onPostgres(withoutAppendMany));
