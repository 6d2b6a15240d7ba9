// KayNexus (nexus): LLM planning and conversational agents on Claude.
import type { NexusHealthDetails, UsageEventInput } from "@kayos/contracts";
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { agentsDbUrl } from "@kayos/db/env";
import type { FastifyInstance } from "fastify";
import path from "node:path";
import { readApiKey } from "../shared/api-key";
import { listen } from "../shared/pg-listen";
import { ObserverReporter } from "../shared/observer-reporter";
import { buildService, type ServiceOptions } from "../shared/server";
import { isOffline, nexusEnv, type NexusConfig } from "./env";
import { agentRoutes } from "./routes/agents";
import { conversationRoutes } from "./routes/conversations";
import { graphRoutes } from "./routes/graphs";
import { Claude } from "./services/claude";
import type { NexusDeps } from "./services/deps";
import { EventHub } from "./services/event-hub";
import { ExecutionRunner } from "./services/runner";
import { Supervisor } from "./services/supervisor";
import { ConversationStore } from "./store/conversations";
import { EventStore } from "./store/events";
import { ENDED_CHANNEL, ExecutionStore } from "./store/executions";
import { createPool } from "./store/sql";
import { GraphStore } from "./store/graphs";

export interface NexusOptions extends Omit<ServiceOptions, "name" | "title" | "description"> {
  /** Defaults to the agents database of AGENTS_DATABASE_URL. */
  db?: AgentsDb;
  /** The same database for the SQL hot path; defaults to AGENTS_DATABASE_URL. */
  databaseUrl?: string;
  /** Settings over the environment's (see env.ts). */
  config?: Partial<NexusConfig>;
}

export async function buildNexus(opts: NexusOptions) {
  const config: NexusConfig = { ...nexusEnv(), ...opts.config };
  const db = opts.db ?? agentsDb();
  const url = opts.databaseUrl ?? agentsDbUrl();
  const pool = createPool(url);
  const keys = new Map<string, string>();
  let runner: ExecutionRunner | undefined;
  let deps: NexusDeps | undefined;

  const app = await buildService(
    {
      ...opts,
      name: "nexus",
      title: "KayNexus",
      description: "LLM planning and conversational agents on Claude.",
      // A prompt just over the limit must reach the handler to get its 413 naming the limit.
      bodyLimit: Math.max(opts.bodyLimit ?? 1024 * 1024, config.NEXUS_MAX_PROMPT_CHARS * 6 + 64 * 1024),
      healthDetails: (): NexusHealthDetails => ({
        offline: isOffline(config),
        model: config.NEXUS_DEFAULT_MODEL,
        claude_configured: Boolean(config.ANTHROPIC_API_KEY || config.ANTHROPIC_BASE_URL),
        executions_running: runner?.running ?? 0,
        observer_reporting: Boolean(config.CODINGOBSERVER_URL),
      }),
    },
    async (api: FastifyInstance) => {
      const reporter = new ObserverReporter<UsageEventInput & { event_id: string }>({
        url: config.CODINGOBSERVER_URL,
        path: "/api/v1/usage/ingest",
        bodyKey: "events",
        spoolDir: path.join(config.NEXUS_DATA_DIR, "spool"),
        keyFor: (org) => keys.get(org) ?? config.OBSERVER_API_KEY,
        warn: (m) => api.log.warn(`nexus usage reporting: ${m}`),
      });
      deps = {
        config,
        offline: isOffline(config),
        db,
        claude: new Claude(config),
        executions: new ExecutionStore(db, pool),
        events: new EventStore(db, pool, (error) => api.log.error({ err: error }, "nexus: storing execution events failed")),
        conversations: new ConversationStore(db, pool),
        graphs: new GraphStore(db),
        hub: undefined as unknown as EventHub,
        reporter,
        keys,
        streams: new Set(),
        logError: (error) => api.log.error({ err: error }, "nexus: execution failed internally"),
      };
      deps.hub = new EventHub(deps.events);
      runner = new ExecutionRunner(deps);
      const ready = runner;
      // Nexus acts for the caller's organization toward Observer and Smith with the caller's key.
      api.addHook("preHandler", async (request) => {
        const key = readApiKey(request);
        if (key && request.caller) keys.set(request.caller.organizationId, key);
      });
      const streams = deps.streams;
      // Hijacked SSE responses outlive Fastify's close; end them so nothing polls a closed pool.
      api.addHook("preClose", async () => {
        for (const sse of streams) sse.end();
      });
      // A run this process runs but another ended (stopped): let go now, not at the next heartbeat.
      const ended = listen(url, ENDED_CHANNEL, { onMessage: (id) => ready.letGo(id), warn: (m) => api.log.warn(`nexus: ${m}`) });
      api.addHook("onClose", async () => {
        await ended.close();
        await ready.close();
        await reporter.close();
        await pool.end();
      });
      agentRoutes(api, deps, runner);
      conversationRoutes(api, deps, runner);
      graphRoutes(api, deps, runner);
    },
  );
  runner!.supervisor = new Supervisor(
    deps!,
    runner!,
    (m) => app.log.info(m),
    (error) => app.log.error({ err: error }, "nexus: supervising executions failed"),
  );
  return app;
}
