import { defineEnv, port } from "@kayos/env";
import { z } from "zod";

export const agentsEnv = () =>
  defineEnv(
    {
      AGENTS_HOST: z.string().default("127.0.0.1"),
      NEXUS_PORT: port(8000),
      SMITH_PORT: port(8001),
      OBSERVER_PORT: port(8081),
      LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    },
    {},
  );
export type AgentsEnv = ReturnType<typeof agentsEnv>;
