import path from "node:path";
import { defineEnv, port, secretsEnv } from "@kayos/env";
import { z } from "zod";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/** Everything `npm run dev` needs; .env.example lists each with its default and meaning. */
export const stackEnv = (source: NodeJS.ProcessEnv = process.env) => {
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
      DEMO_PASSWORD: "kayos-demo-2026",
      AGENTS_API_KEY: "kay_dev_local_agents_key_0000000000",
      MESSAGES_SERVER_PORT: "8790",
    },
    source,
  );
  const url = (variable: string, p: number) => source[variable] || `http://127.0.0.1:${p}`;
  return {
    ...e,
    EMBEDDED_PG_DIR: path.resolve(ROOT, e.EMBEDDED_PG_DIR),
    ...secretsEnv(source),
    KAYNEXUS_URL: url("KAYNEXUS_URL", e.NEXUS_PORT),
    KAYSMITH_URL: url("KAYSMITH_URL", e.SMITH_PORT),
    CODINGOBSERVER_URL: url("CODINGOBSERVER_URL", e.OBSERVER_PORT),
  };
};
export type StackEnv = ReturnType<typeof stackEnv>;
