import { defineEnv } from "@kayos/env";
import { z } from "zod";

export const EMBEDDED_PG_PORT_DEFAULT = 54329;
const embeddedUrl = (db: string) => `postgresql://kayos:kayos@127.0.0.1:${EMBEDDED_PG_PORT_DEFAULT}/${db}`;

// The development defaults point at the embedded server that `npm run dev` starts.
export const controlDbUrl = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv({ DATABASE_URL: z.url() }, { DATABASE_URL: embeddedUrl("kayos") }, source).DATABASE_URL;

export const agentsDbUrl = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv({ AGENTS_DATABASE_URL: z.url() }, { AGENTS_DATABASE_URL: embeddedUrl("kayos_agents") }, source)
    .AGENTS_DATABASE_URL;
