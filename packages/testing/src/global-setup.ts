import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { providePostgres } from "./postgres-provider.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** Starts one PostgreSQL for the whole run; each test file makes its own database in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await providePostgres((line) => console.log(`[postgres] ${line}`));
  console.log(`[postgres] tests run on PostgreSQL from ${pg.source}`);
  project.provide("pgAdminUrl", pg.adminUrl);
  return () => pg.stop();
}
