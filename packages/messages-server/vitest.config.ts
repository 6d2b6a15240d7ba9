import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "messages-server", include: ["src/**/*.test.ts"] },
});
