import { agentsRouter } from "./routers/agents/router";
import { analyticsRouter } from "./routers/analytics/router";
import { apiTokensRouter } from "./routers/api-tokens/router";
import { auditRouter } from "./routers/audit/router";
import { commandCenterRouter } from "./routers/command-center/router";
import { conversationsRouter } from "./routers/conversations/router";
import { healthRouter } from "./routers/health/router";
import { orgRouter } from "./routers/org/router";
import { runsRouter } from "./routers/runs/router";
import { serversRouter } from "./routers/servers/router";
import { terminalRouter } from "./routers/terminal/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  org: orgRouter,
  servers: serversRouter,
  agents: agentsRouter,
  runs: runsRouter,
  conversations: conversationsRouter,
  terminal: terminalRouter,
  commandCenter: commandCenterRouter,
  analytics: analyticsRouter,
  apiTokens: apiTokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
