import path from "node:path";
import { defineEnv } from "@kayos/env";
import { z } from "zod";
import { readEmbeddedPassword } from "./embedded-password";

export const EMBEDDED_PG_PORT_DEFAULT = 54329;

/** The embedded server `npm run dev` starts; its password is written beside its data on first start. */
function embeddedUrl(db: string, source: NodeJS.ProcessEnv) {
  const root = path.resolve(import.meta.dirname, "..", "..", "..");
  const password = readEmbeddedPassword(path.resolve(root, source.EMBEDDED_PG_DIR || path.join(".data", "postgres"))) ?? "";
  return `postgresql://kayos:${encodeURIComponent(password)}@127.0.0.1:${source.EMBEDDED_PG_PORT || EMBEDDED_PG_PORT_DEFAULT}/${db}`;
}

// The development defaults point at the embedded server (worked out only when no URL is set).
export const controlDbUrl = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv({ DATABASE_URL: z.url() }, source.DATABASE_URL ? {} : { DATABASE_URL: embeddedUrl("kayos", source) }, source).DATABASE_URL;

export const agentsDbUrl = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv(
    { AGENTS_DATABASE_URL: z.url() },
    source.AGENTS_DATABASE_URL ? {} : { AGENTS_DATABASE_URL: embeddedUrl("kayos_agents", source) },
    source,
  ).AGENTS_DATABASE_URL;
