import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.spec.ts", "services/*/src/**/*.spec.ts", "test/**/*.spec.ts"],
    exclude: ["**/node_modules/**", "test/reliability/**"],
    globalSetup: ["packages/testing/src/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
