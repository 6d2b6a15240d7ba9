// Builds the Command Center's HTTP server from a loaded config: health, sign-in, agents, runs and
// the client. main.ts starts it; tests build it in-process.
import Fastify from "fastify";
import type { RunEnvironment } from "./adapters/adapter";
import { sessionGuard } from "./auth/guard";
import type { LoadedConfig } from "./config/load";
import type { AppContext } from "./context";
import { errorHandler } from "./errors";
import { agentRoutes } from "./routes/agents";
import { authRoutes } from "./routes/auth";
import { healthRoutes } from "./routes/health";
import { runRoutes } from "./routes/runs";
import { staticRoutes } from "./routes/static";
import { Runner } from "./runs/runner";
import { RunStore } from "./runs/store";

const SHUTDOWN_GRACE_MS = 1_000;

export interface ServerOptions extends LoadedConfig {
  dataDir: string;
  publicDir: string;
  version: string;
  /** The deployed release folder's name (releases/<name>), so a health check tells which deploy answers. */
  release?: string;
  logLevel?: string;
}

export async function buildServer(options: ServerOptions) {
  const { config, secrets } = options;
  const app = Fastify({
    logger: { level: options.logLevel ?? "info" },
    // Behind a reverse proxy on the same machine: trust its X-Forwarded-Proto (Secure cookies).
    trustProxy: "127.0.0.1",
    bodyLimit: 1024 * 1024,
  });
  const env: RunEnvironment = { nexusUrl: config.services.nexus_url, nexusApiKey: secrets.nexus_api_key, agentSecrets: secrets.agent_secrets };
  const store = new RunStore(options.dataDir);
  const ctx: AppContext = {
    config,
    secrets,
    users: new Map(secrets.users.map((u) => [u.email, u])),
    store,
    runner: new Runner(store, env),
    version: options.version,
    release: options.release,
  };
  errorHandler(app);
  sessionGuard(app, ctx);
  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  agentRoutes(app, ctx);
  runRoutes(app, ctx);
  staticRoutes(app, options.publicDir, config.branding);
  // Before the server stops listening: end the runs, so their streams end with done and close.
  // Connections still open a moment later (a browser's unused preconnect, a stuck client) are cut,
  // so a restart during a deploy takes about a second, not a client's keep-alive timeout.
  app.addHook("preClose", async () => {
    await ctx.runner.stopAll();
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
  app.addHook("onClose", async () => {
    await store.flushed();
  });
  return app;
}
