import { inject } from "vitest";
import { runInvariantSuite } from "./testing/invariant-suite.js";
import { onPostgres } from "./testing/on-postgres.js";
import { withoutAppendMany } from "./testing/without-append-many.js";

// New payments that will be recorded take one multi-stream append here...
runInvariantSuite("PostgreSQL", () => onPostgres(inject("pgAdminUrl")));
// ...and the saga, step by step, where the store has no appendMany (as on EventStoreDB).
runInvariantSuite("PostgreSQL without appendMany", () => onPostgres(inject("pgAdminUrl"), withoutAppendMany));
