// CodingObserver (observer): Logs, token and cost accounting, code snapshots and analytics for agent runs.
import { agentsDbUrl } from "@kayos/db/env";
import type { FastifyInstance } from "fastify";
import { buildService, type ServiceOptions } from "../shared/server";
import type { ObserverContext } from "./context";
import { observerEnv, type ObserverEnv } from "./env";
import { analyticsRoutes } from "./routes/analytics";
import { logRoutes } from "./routes/logs";
import { usageRoutes } from "./routes/usage";
import { createPool } from "./store/db";
import { listenForCommits } from "./store/log-notifications";
import { LogWriter } from "./store/log-writer";

export interface ObserverOptions extends Omit<ServiceOptions, "name" | "title" | "description"> {
  databaseUrl?: string;
  env?: Partial<ObserverEnv>;
}

export async function buildObserver(opts: ObserverOptions) {
  const url = opts.databaseUrl ?? agentsDbUrl();
  const pool = createPool(url);
  const ctx: ObserverContext = { pool, logs: new LogWriter(pool), env: { ...observerEnv(), ...opts.env } };
  const app = await buildService(
    { ...opts, name: "observer", title: "CodingObserver", description: "Logs, token and cost accounting, code snapshots and analytics for agent runs." },
    (api: FastifyInstance) => {
      logRoutes(api, ctx);
      usageRoutes(api, ctx);
      analyticsRoutes(api, ctx);
    },
  );
  const notifications = listenForCommits(url, ctx.logs, (message) => app.log.warn(`observer: ${message}`));
  app.addHook("onClose", async () => {
    await notifications.close();
    await pool.end();
  });
  return app;
}
