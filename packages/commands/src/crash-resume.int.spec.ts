import { inject } from "vitest";
import { runCrashResumeSuite } from "./testing/crash-resume-suite.js";
import { onPostgres } from "./testing/on-postgres.js";

runCrashResumeSuite("PostgreSQL", () => onPostgres(inject("pgAdminUrl")));
