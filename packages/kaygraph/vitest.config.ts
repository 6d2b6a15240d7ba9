import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "kaygraph",
    include: ["src/**/*.test.ts", "examples/**/*.test.ts"],
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
