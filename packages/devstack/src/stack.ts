// Starts the whole platform in order: databases (embedded unless URLs are given) and migrations,
// the seed, the agent services, then the web app, each checked healthy before the next starts.
import path from "node:path";
import { agentsDb } from "@kayos/db/agents";
import { controlDb } from "@kayos/db/control";
import { seedAgents, seedControl } from "@kayos/db/seed";
import { startMessagesServer } from "@kayos/messages-server";
import { provideDatabases } from "./database";
import { ROOT, type StackEnv } from "./env";
import { assertPortFree } from "./ports";
import { PORT_VARIABLE, startAgents } from "./agents";
import { startChild, waitForHttp, type Child } from "./process";

export interface StackOptions {
  env: StackEnv;
  /** "dev" runs `next dev`; "start" serves an existing `next build`. */
  web: "dev" | "start";
  log: (source: string, line: string) => void;
  /** Extra variables for the child processes. */
  childEnv?: Record<string, string>;
}

export interface Stack {
  webUrl: string;
  /** Where the agent services reach Claude; `offline` when that is the local Messages API server. */
  claude: { baseUrl: string; offline: boolean };
  /** The local Messages API server when offline (browser tests script replies on it). */
  messages?: Awaited<ReturnType<typeof startMessagesServer>>;
  controlUrl: string;
  agentsUrl: string;
  organizationId: string;
  stop(): Promise<void>;
}

/** The Command Center release deploys upload; a relative COMMAND_CENTER_RELEASE_DIR is from the repository root. */
export function commandCenterReleaseDir() {
  return path.resolve(ROOT, process.env.COMMAND_CENTER_RELEASE_DIR ?? "apps/command-center/dist/release");
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const { env, log } = opts;
  const embedded = !env.DATABASE_URL;
  const ports: [number, string][] = [
    [env.WEB_PORT, "WEB_PORT"],
    [env.NEXUS_PORT, PORT_VARIABLE.nexus],
    [env.SMITH_PORT, PORT_VARIABLE.smith],
    [env.OBSERVER_PORT, PORT_VARIABLE.observer],
    ...(embedded ? [[env.EMBEDDED_PG_PORT, "EMBEDDED_PG_PORT"] as [number, string]] : []),
    ...(env.ANTHROPIC_API_KEY ? [] : [[env.MESSAGES_SERVER_PORT, "MESSAGES_SERVER_PORT"] as [number, string]]),
  ];
  for (const [p, variable] of ports) await assertPortFree(p, variable);

  log("db", embedded ? `starting embedded PostgreSQL on port ${env.EMBEDDED_PG_PORT} (${env.EMBEDDED_PG_DIR})` : "using DATABASE_URL");
  const dbs = await provideDatabases({
    controlUrl: env.DATABASE_URL,
    agentsUrl: env.AGENTS_DATABASE_URL,
    embeddedDir: env.EMBEDDED_PG_DIR,
    embeddedPort: env.EMBEDDED_PG_PORT,
    log: (line) => log("db", line),
  });
  const children: Child[] = [];
  let messagesServer: Awaited<ReturnType<typeof startMessagesServer>> | undefined;
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    await messagesServer?.close();
    await Promise.allSettled([controlDb(dbs.controlUrl).$disconnect(), agentsDb(dbs.agentsUrl).$disconnect()]);
    await dbs.stop();
  };

  try {
    const { organizationId } = await seedControl(controlDb(dbs.controlUrl), {
      demoEmail: env.DEMO_EMAIL,
      demoPassword: env.DEMO_PASSWORD,
      agentsApiKey: env.AGENTS_API_KEY,
      encryptionKey: env.ENCRYPTION_KEY,
      services: { nexusUrl: env.KAYNEXUS_URL, smithUrl: env.KAYSMITH_URL, observerUrl: env.CODINGOBSERVER_URL },
    });
    await seedAgents(agentsDb(dbs.agentsUrl), organizationId, env.AGENTS_API_KEY);
    log("db", "seeded the demo organization");

    // Without an Anthropic key everything runs offline against the local Messages API server.
    let claude: Stack["claude"];
    if (env.ANTHROPIC_API_KEY) {
      claude = { baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com", offline: false };
    } else {
      messagesServer = await startMessagesServer({ port: env.MESSAGES_SERVER_PORT, deltaDelayMs: 15 });
      claude = { baseUrl: messagesServer.url, offline: true };
      log("claude", `no ANTHROPIC_API_KEY: offline, local Messages API server at ${messagesServer.url}`);
    }

    const webUrl = `http://localhost:${env.WEB_PORT}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.childEnv,
      DATABASE_URL: dbs.controlUrl,
      AGENTS_DATABASE_URL: dbs.agentsUrl,
      KAYNEXUS_URL: env.KAYNEXUS_URL,
      KAYSMITH_URL: env.KAYSMITH_URL,
      CODINGOBSERVER_URL: env.CODINGOBSERVER_URL,
      ENCRYPTION_KEY: env.ENCRYPTION_KEY,
      AUTH_SECRET: env.AUTH_SECRET,
      ...(env.SMITH_REPORTER_SECRET ? { SMITH_REPORTER_SECRET: env.SMITH_REPORTER_SECRET } : {}),
      NEXTAUTH_URL: webUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      ANTHROPIC_BASE_URL: claude.baseUrl,
      ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY ?? "offline-local-messages-server",
    };

    const agents = await startAgents({
      agentsDatabaseUrl: dbs.agentsUrl,
      ports: { nexus: env.NEXUS_PORT, smith: env.SMITH_PORT, observer: env.OBSERVER_PORT },
      env: childEnv,
      log,
    });
    children.push(agents.child);

    const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
    const web = startChild("web", process.execPath, [nextBin, opts.web, "--port", String(env.WEB_PORT)], {
      cwd: path.join(ROOT, "apps", "web"),
      env: {
        ...childEnv,
        NODE_ENV: opts.web === "dev" ? "development" : "production",
        PORT: String(env.WEB_PORT),
        // The Command Center release that deploys upload (`npm run build -w @kayos/command-center`).
        COMMAND_CENTER_RELEASE_DIR: commandCenterReleaseDir(),
      },
      onLine: log,
    });
    children.push(web);
    await waitForHttp(`${webUrl}/api/v1/health`, web, 120_000);
    return { webUrl, claude, messages: messagesServer, controlUrl: dbs.controlUrl, agentsUrl: dbs.agentsUrl, organizationId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
