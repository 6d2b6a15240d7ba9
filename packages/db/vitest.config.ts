import { defineProject } from "vitest/config";
import { timeouts } from "../../vitest.shared.ts";

export default defineProject({
  test: { name: "db", include: ["src/**/*.test.ts"], ...timeouts },
});
