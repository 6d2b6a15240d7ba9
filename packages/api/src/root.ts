import { agentsRouter } from "./routers/agents/router";
import { analyticsRouter } from "./routers/analytics/router";
import { apiTokensRouter } from "./routers/api-tokens/router";
import { auditRouter } from "./routers/audit/router";
import { healthRouter } from "./routers/health/router";
import { orgRouter } from "./routers/org/router";
import { runsRouter } from "./routers/runs/router";
import { serversRouter } from "./routers/servers/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  org: orgRouter,
  servers: serversRouter,
  agents: agentsRouter,
  runs: runsRouter,
  analytics: analyticsRouter,
  apiTokens: apiTokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
