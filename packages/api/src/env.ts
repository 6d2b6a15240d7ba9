import { defineEnv, secretsEnv } from "@kayos/env";
import { z } from "zod";

export const apiEnv = (source: NodeJS.ProcessEnv = process.env) => ({
  ...secretsEnv(source),
  ...defineEnv(
    {
      AGENT_SERVICE_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
      /** How often unfinished runs are asked about in the background (services/run-reconciler.ts); 0 turns it off. */
      RUN_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
      /** The built Command Center release (apps/command-center/dist/release) that deploys upload. */
      COMMAND_CENTER_RELEASE_DIR: z.string().optional(),
    },
    {},
    source,
  ),
});
export type ApiEnv = ReturnType<typeof apiEnv>;
