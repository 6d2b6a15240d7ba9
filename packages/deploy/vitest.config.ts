import { defineProject } from "vitest/config";

export default defineProject({
  // Integration tests run several real deployments over SSH, each a few seconds.
  test: { name: "deploy", include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
