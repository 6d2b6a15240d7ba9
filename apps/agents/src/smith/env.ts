// Smith's own settings. Defaults keep everything under <repo>/.data so a fresh clone runs as is.
import { createRequire } from "node:module";
import path from "node:path";
import { defineEnv } from "@kayos/env";
import { DEFAULT_WORKSPACE_ROOT, repoRoot } from "../shared/paths";
import { z } from "zod";


/** The pinned Claude Code CLI installed with apps/agents (see its package.json). */
export function bundledClaudePath(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve("@anthropic-ai/claude-code/package.json");
    return path.join(path.dirname(pkg), "bin", "claude.exe");
  } catch {
    return path.join(repoRoot, "node_modules", ".bin", "claude");
  }
}

const agentConfig = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]*$/),
  z.object({ command: z.string().min(1), stdin: z.enum(["tty", "null"]).default("tty") }),
);

const json = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be JSON" });
      return z.NEVER;
    }
  }).pipe(schema);

const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const smithEnv = (source: NodeJS.ProcessEnv = process.env) => {
  const dataDir = source.SMITH_DATA_DIR || path.join(repoRoot, ".data", "smith");
  return defineEnv(
    {
      WORKSPACE_ROOT: z.string().min(1).default(DEFAULT_WORKSPACE_ROOT),
      SMITH_DATA_DIR: z.string().min(1).default(dataDir),
      /** The socket of Smith's own tmux server (never the user's default server). */
      TMUX_SOCKET_PATH: z.string().min(1).default(path.join(dataDir, "tmux.sock")),
      /**
       * What keeps sessions running: `script` (util-linux script(1)) and `tmux` survive a Smith restart,
       * `pty` ends them with Smith; `auto` takes script, else tmux, else pty (services/keeper-choice.ts).
       */
      SMITH_KEEPER: z.enum(["auto", "script", "tmux", "pty"]).default("auto"),
      /** `auto` isolates sessions in their own mount and PID namespaces when unshare can (see services/isolation.ts). */
      SMITH_ISOLATION: z.enum(["auto", "namespaces", "off"]).default("auto"),
      /** Folders hidden from sessions besides WORKSPACE_ROOT and SMITH_DATA_DIR (comma-separated): the database, other services' data. */
      SMITH_ISOLATION_HIDE: z
        .string()
        .default(path.join(repoRoot, ".data"))
        .transform((v) => v.split(",").map((p) => p.trim()).filter(Boolean)),
      CLAUDE_CODE_PATH: z.string().min(1).default(bundledClaudePath()),
      /** The Messages API the Claude Code CLI talks to (the local messages server offline). */
      ANTHROPIC_BASE_URL: z.string().optional(),
      ANTHROPIC_API_KEY: z.string().optional(),
      CODINGOBSERVER_URL: z.string().optional(),
      /** Derives each organization's reporter key for Observer; required in production. */
      SMITH_REPORTER_SECRET: z.string().min(16),
      /** Extra CLI agents: `{"aider": {"command": "aider --yes"}}`. */
      SMITH_AGENTS: json(agentConfig).default({}),
      SMITH_MAX_SESSIONS_PER_ORG: z.coerce.number().int().min(1).default(50),
      SMITH_IDLE_TIMEOUT_S: z.coerce.number().int().min(0).default(0),
      SMITH_AGENT_INACTIVITY_MS: ms(10 * 60_000),
      SMITH_EXECUTE_OUTPUT_MAX: z.coerce.number().int().min(1024).default(256 * 1024),
      SMITH_FILE_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),
      /** git for the changes of sessions (GET /sessions/{id}/changes); without it that route answers 503. */
      SMITH_GIT_PATH: z.string().min(1).default("git"),
    },
    { SMITH_REPORTER_SECRET: "dev-smith-reporter-secret-change-me" },
    source,
  );
};
export type SmithConfig = ReturnType<typeof smithEnv>;

