import { defineProject } from "vitest/config";
import { timeouts } from "../../vitest.shared";

export default defineProject({
  test: { name: "env", include: ["src/**/*.test.ts"], ...timeouts },
});
