// KaySmith (smith): Coding agents and commands in live terminal sessions inside workspaces.
import type { SmithHealthDetails } from "@kayos/contracts";
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import path from "node:path";
import { buildService, type ServiceOptions } from "../shared/server";
import { smithEnv, type SmithConfig } from "./env";
import { changeRoutes } from "./routes/changes";
import { conversationRoutes } from "./routes/conversations";
import { fileRoutes } from "./routes/files";
import { sessionRoutes } from "./routes/sessions";
import { streamRoutes } from "./routes/stream";
import { worktreeRoutes } from "./routes/worktrees";
import { terminalRoute } from "./routes/terminal";
import { baseEnv, claudeCodeStatus } from "./services/agents";
import { Reporter } from "./services/reporter";
import { Conversations } from "./services/conversations";
import { SessionManager } from "./services/session-manager";
import { ShadowRepos } from "./services/shadow-repo";
import { Worktrees } from "./services/worktrees";
import { activeKeyHashes } from "./services/terminal-auth";
import { detectIsolation } from "./services/isolation";
import { detectTmux, Tmux } from "./services/tmux";
import { chooseKeeper } from "./services/keeper-choice";
import { detectScript } from "./services/keeper-script";
import { SessionStore } from "./store/sessions";

export interface SmithOptions extends Omit<ServiceOptions, "name" | "title" | "description"> {
  /** Defaults to the agents database of AGENTS_DATABASE_URL. */
  db?: AgentsDb;
  /** Defaults to the environment (see env.ts). */
  config?: SmithConfig;
}

export async function buildSmith(opts: SmithOptions) {
  const config = opts.config ?? smithEnv();
  const db = opts.db ?? agentsDb();
  for (const dir of [config.WORKSPACE_ROOT, config.SMITH_DATA_DIR, path.dirname(config.TMUX_SOCKET_PATH)]) fs.mkdirSync(dir, { recursive: true });

  const tmuxInfo = detectTmux();
  const keeper = chooseKeeper(config.SMITH_KEEPER, tmuxInfo, detectScript());
  const claude = claudeCodeStatus(config);
  const sessionEnv = baseEnv();
  const isolation = detectIsolation(config.SMITH_ISOLATION, [config.WORKSPACE_ROOT, config.SMITH_DATA_DIR, ...config.SMITH_ISOLATION_HIDE], {
    home: sessionEnv.HOME,
    programFolders: [...(sessionEnv.PATH ?? "").split(":"), path.dirname(process.execPath), path.dirname(config.CLAUDE_CODE_PATH)],
  });

  let manager: SessionManager | undefined;
  const app = await buildService(
    {
      ...opts,
      name: "smith",
      title: "KaySmith",
      description: "Coding agents and commands in live terminal sessions inside workspaces.",
      // File writes carry up to SMITH_FILE_MAX_BYTES, base64-encoded (4/3) plus JSON.
      bodyLimit: Math.max(opts.bodyLimit ?? 0, Math.ceil((config.SMITH_FILE_MAX_BYTES * 4) / 3) + 64 * 1024),
      healthDetails: (): SmithHealthDetails => ({
        mode: keeper.mode,
        mode_reason: keeper.reason,
        isolation: { mode: isolation.mode, reason: isolation.reason },
        tmux: { available: tmuxInfo.available, version: tmuxInfo.version },
        claude_code: claude,
        sessions_running: manager?.running ?? 0,
      }),
    },
    async (api: FastifyInstance) => {
      const reporter = new Reporter({
        observerUrl: config.CODINGOBSERVER_URL,
        spoolDir: path.join(config.SMITH_DATA_DIR, "spool"),
        secret: config.SMITH_REPORTER_SECRET,
        db,
        warn: (m) => api.log.warn(m),
      });
      const shadow = new ShadowRepos(config.SMITH_GIT_PATH, path.join(config.SMITH_DATA_DIR, "shadow"));
      if (!(await shadow.available())) api.log.warn(`smith: git not found at ${config.SMITH_GIT_PATH}: sessions' changes are not tracked (GET /sessions/{id}/changes answers 503)`);
      const tmux = keeper.mode === "tmux" ? new Tmux(tmuxInfo.path!, config.TMUX_SOCKET_PATH, baseEnv()) : null;
      const worktrees = new Worktrees(config.SMITH_GIT_PATH, config.SMITH_DATA_DIR);
      manager = new SessionManager({
        store: new SessionStore(db),
        config,
        keeper: keeper.mode,
        tmux,
        reporter,
        shadow,
        worktrees,
        isolation,
        logger: { info: (m) => api.log.info(m), warn: (m) => api.log.warn(m) },
      });
      await manager.start();
      const sessions = manager;
      api.addHook("onClose", async () => {
        await sessions.close();
        tmux?.close();
        reporter.close();
      });
      sessionRoutes(api, sessions);
      conversationRoutes(api, new Conversations(sessions));
      streamRoutes(api, sessions);
      fileRoutes(api, sessions, config, reporter);
      changeRoutes(api, sessions, shadow);
      worktreeRoutes(api, sessions, worktrees);
      terminalRoute(api, sessions, { resolveCaller: opts.resolveCaller, keyHashes: activeKeyHashes(db) });
    },
  );
  const say = keeper.mode === "pty" ? app.log.warn.bind(app.log) : app.log.info.bind(app.log);
  (isolation.mode === "namespaces" ? app.log.info.bind(app.log) : app.log.warn.bind(app.log))(`smith: isolation ${isolation.mode}: ${isolation.reason}`);
  say(`smith: ${keeper.reason}; Claude Code CLI ${claude.available ? `${claude.version ?? "?"} at ${claude.path}` : `missing at ${claude.path}`}`);
  return app;
}
