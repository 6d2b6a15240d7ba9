// Prisma's CLI downloads native engines it does not need with the JS engine and client-only
// generator. Pointing the variables at an existing file (only where the engine is missing) stops
// the download attempt on offline machines and leaves machines that have the engines untouched.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

export function offlineEngineEnv(): Record<string, string> {
  const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json"));
  const present = existsSync(enginesDir) ? readdirSync(enginesDir) : [];
  const placeholder = require.resolve("prisma/package.json");
  const env: Record<string, string> = {};
  if (!present.some((f) => f.startsWith("libquery_engine")) && !process.env.PRISMA_QUERY_ENGINE_LIBRARY) {
    env.PRISMA_QUERY_ENGINE_LIBRARY = placeholder;
  }
  if (!present.some((f) => f.startsWith("schema-engine")) && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
    env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
  }
  return env;
}
