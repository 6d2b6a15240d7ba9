import path from "node:path";
import { defineEnv, port, secretsEnv } from "@kayos/env";
import { z } from "zod";
import { withDevSecrets } from "./dev-secrets";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/** Outside production, secrets are made per install (dev-secrets.ts); production must set them. */
const PER_INSTALL = "made per install outside production";

/** Everything `npm run dev` needs; .env.example lists each with its default and meaning. */
export const stackEnv = (given: NodeJS.ProcessEnv = process.env) => {
  const source = withDevSecrets(given, path.resolve(ROOT, given.EMBEDDED_PG_DIR || path.join(".data", "postgres")));
  const e = defineEnv(
    {
      WEB_PORT: port(),
      NEXUS_PORT: port(),
      SMITH_PORT: port(),
      OBSERVER_PORT: port(),
      EMBEDDED_PG_PORT: port(),
      EMBEDDED_PG_DIR: z.string(),
      DATABASE_URL: z.url().optional(),
      AGENTS_DATABASE_URL: z.url().optional(),
      DEMO_EMAIL: z.email(),
      DEMO_PASSWORD: z.string().min(8),
      AGENTS_API_KEY: z.string().min(16),
      ANTHROPIC_API_KEY: z.string().optional(),
      ANTHROPIC_BASE_URL: z.url().optional(),
      MESSAGES_SERVER_PORT: port(),
    },
    {
      WEB_PORT: "3000",
      NEXUS_PORT: "8000",
      SMITH_PORT: "8001",
      OBSERVER_PORT: "8081",
      EMBEDDED_PG_PORT: "54329",
      EMBEDDED_PG_DIR: path.join(ROOT, ".data", "postgres"),
      DEMO_EMAIL: "demo@kayos.local",
      DEMO_PASSWORD: PER_INSTALL,
      AGENTS_API_KEY: PER_INSTALL,
      MESSAGES_SERVER_PORT: "8790",
    },
    source,
  );
  const url = (variable: string, p: number) => source[variable] || `http://127.0.0.1:${p}`;
  return {
    ...e,
    EMBEDDED_PG_DIR: path.resolve(ROOT, e.EMBEDDED_PG_DIR),
    ...secretsEnv(source),
    /** Smith's reporter-key secret; unset in production unless given (Smith then requires it itself). */
    SMITH_REPORTER_SECRET: source.SMITH_REPORTER_SECRET,
    KAYNEXUS_URL: url("KAYNEXUS_URL", e.NEXUS_PORT),
    KAYSMITH_URL: url("KAYSMITH_URL", e.SMITH_PORT),
    CODINGOBSERVER_URL: url("CODINGOBSERVER_URL", e.OBSERVER_PORT),
  };
};
export type StackEnv = ReturnType<typeof stackEnv>;
