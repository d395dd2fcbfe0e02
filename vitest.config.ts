import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.spec.ts", "services/*/src/**/*.spec.ts", "test/**/*.spec.ts"],
    // test/reliability: only the short fault run (*.short.spec.ts); the rest is `pnpm test:reliability`.
    exclude: ["**/node_modules/**", "test/reliability/**/!(*.short).spec.ts"],
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
