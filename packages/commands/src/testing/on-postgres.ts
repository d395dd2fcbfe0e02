import { domainEventSchemas } from "@aidtrail/domain";
import { type EventStore, PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase } from "@aidtrail/testing";
import { createPostgresPiiVault } from "../pii/pii-vault.js";
import { testPiiKeys } from "./command-fixtures.js";
import type { InvariantSubject } from "./invariant-suite.js";

/**
 * A database of its own on the run's PostgreSQL (`inject("pgAdminUrl")`): its event store (as
 * `adapt` makes it look) and PII vault; teardown drops it.
 */
export async function onPostgres(adminUrl: string, adapt: (store: EventStore) => EventStore = (store) => store): Promise<InvariantSubject> {
  const database = await createTestDatabase(adminUrl);
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
