import { domainEventSchemas } from "@aidtrail/domain";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase } from "@aidtrail/testing";
import { inject } from "vitest";
import { createPostgresPiiVault } from "./pii/pii-vault.js";
import { testPiiKeys } from "./testing/command-fixtures.js";
import { runCrashResumeSuite } from "./testing/crash-resume-suite.js";

runCrashResumeSuite("PostgreSQL", async () => {
  const database = await createTestDatabase(inject("pgAdminUrl"));
  const store = new PostgresEventStore({ db: database.db, url: database.url, registry: domainEventSchemas });
  return {
    store,
    vault: createPostgresPiiVault(database.db, testPiiKeys),
    async teardown() {
      await store.close();
      await database.drop();
    },
  };
});
