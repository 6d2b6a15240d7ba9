import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { timeouts } from "../../vitest.shared.ts";

export default defineProject({
  test: {
    name: "command-center",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    ...timeouts,
    // The release bundle is built once for the tests that start it as customers do.
    globalSetup: [fileURLToPath(new URL("./test/build-release.ts", import.meta.url))],
  },
});
