import { defineConfig } from "vitest/config";

// Every package's tests in one run. The global setup starts one embedded PostgreSQL with migrated
// template databases; integration tests clone a fresh database per file from them.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
    globalSetup: ["./packages/devstack/src/testing/global-setup.ts"],
    // Test options here do not reach the projects: see vitest.shared.ts.
  },
});
