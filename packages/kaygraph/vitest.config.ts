import { defineProject } from "vitest/config";
import { timeouts } from "../../vitest.shared.ts";

export default defineProject({
  test: {
    name: "kaygraph",
    ...timeouts,
    include: ["src/**/*.test.ts", "examples/**/*.test.ts"],
    typecheck: {
      enabled: true,
      include: ["src/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
