// What a session runs: a shell, the Claude Code CLI, or a CLI agent configured in SMITH_AGENTS.
import fs from "node:fs";
import path from "node:path";
import type { SmithSessionCreate } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import type { SmithConfig } from "../env";
import { shellQuote } from "./keeper";

export interface Launch {
  agentType: string;
  argv: [string, ...string[]];
  /** What the session shows as its command. */
  display: string;
  env: Record<string, string>;
  /** Whether `execute` can type commands into it (an interactive shell). */
  interactiveShell: boolean;
  isAgent: boolean;
  /** Claude Code reading stream-json messages from the session's input pipe (see agent-input.ts). */
  conversation: boolean;
}

export const defaultShell = () => (fs.existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh");

/** The environment every session starts from: nothing of Smith's own (keys, database URLs). */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    LANG: process.env.LANG ?? "C.UTF-8",
    TERM: "xterm-256color",
    COLORTERM: "truecolor",
    // Commands sent by `execute` start with a space: keep them out of the shell history.
    HISTCONTROL: "ignorespace",
  };
  for (const k of ["USER", "LOGNAME", "TZ", "LC_ALL"]) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

export function claudeCodeStatus(config: SmithConfig) {
  const available = fs.existsSync(config.CLAUDE_CODE_PATH);
  let version: string | null = null;
  const pkg = config.CLAUDE_CODE_PATH.replace(/\/bin\/claude(\.exe)?$/, "/package.json");
  if (available && pkg !== config.CLAUDE_CODE_PATH && fs.existsSync(pkg)) {
    version = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: string }).version ?? null;
  }
  return { available, version, path: config.CLAUDE_CODE_PATH };
}

/** The TUI waits at onboarding, trust and API-key questions unless its config already answers them. */
function prefillClaudeConfig(dir: string, cwd: string, apiKey: string | undefined) {
  const file = path.join(dir, ".claude.json");
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    // none yet
  }
  const projects = (current.projects ?? {}) as Record<string, unknown>;
  projects[cwd] = { ...((projects[cwd] as object) ?? {}), hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true };
  const next = {
    ...current,
    hasCompletedOnboarding: true,
    theme: "dark",
    bypassPermissionsModeAccepted: true,
    ...(apiKey ? { customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] } } : {}),
    projects,
  };
  fs.writeFileSync(file, JSON.stringify(next, null, 2));
}

/** Ends the input of a conversation: the agent finishes what it was given and exits by itself. */
export const END_OF_INPUT = "SMITH_END_OF_INPUT";

/**
 * The CLI reads the session's named pipe through `sed`, which holds the pipe open (read-write) so
 * the input outlives a Smith restart, and closes the CLI's stdin at END_OF_INPUT. When the CLI
 * exits first, the script ends sed the same way, so no process is left behind.
 */
function conversationScript(cli: string) {
  return `sed -u '/^${END_OF_INPUT}$/Q' <> "$SMITH_INPUT" | { ${cli}; c=$?; echo ${END_OF_INPUT} > "$SMITH_INPUT"; exit $c; }`;
}

export function launchFor(
  body: SmithSessionCreate,
  config: SmithConfig,
  claudeConfigDir: string,
  resumeId: string | undefined,
  cwd: string,
): Launch {
  const agentType = body.agent_type ?? "shell";
  const env = { ...baseEnv(), ...(body.env ?? {}) };
  if (agentType === "shell") {
    if (body.prompt) throw new HttpError(400, "prompt is for coding agents; a shell session takes `command`");
    if (body.command) return { agentType, argv: ["/bin/sh", "-c", body.command], display: body.command, env, interactiveShell: false, isAgent: false, conversation: false };
    // A predictable shell: the server's rc files (prompt hooks, version managers) stay out of it.
    const shell = defaultShell();
    const argv: [string, ...string[]] = shell.endsWith("bash") ? [shell, "--noprofile", "--norc", "-i"] : [shell, "-i"];
    env.PS1 ??= "\\w\\$ ";
    return { agentType, argv, display: shell, env, interactiveShell: true, isAgent: false, conversation: false };
  }
  if (agentType === "claude_code") {
    if (!fs.existsSync(config.CLAUDE_CODE_PATH)) {
      throw new HttpError(503, `The Claude Code CLI is not installed at ${config.CLAUDE_CODE_PATH}; install @anthropic-ai/claude-code or set CLAUDE_CODE_PATH`);
    }
    if (body.command) throw new HttpError(400, "agent_type claude_code runs the Claude Code CLI; leave out `command`");
    const conversation = body.conversation === true || body.approvals === "ask";
    if (conversation && !body.prompt) throw new HttpError(400, "a conversation (or approvals: ask) starts with a prompt; without one the interactive terminal runs");
    fs.mkdirSync(claudeConfigDir, { recursive: true });
    // Without a prompt (the seed's create call) the interactive TUI runs in the terminal.
    const interactive = !body.prompt;
    if (interactive) prefillClaudeConfig(claudeConfigDir, cwd, config.ANTHROPIC_API_KEY);
    const permissions = body.approvals === "ask" ? ["--permission-prompt-tool", "stdio"] : ["--dangerously-skip-permissions"];
    const flags = interactive
      ? ["--dangerously-skip-permissions"]
      : conversation
        ? ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--replay-user-messages", ...permissions]
        : ["-p", '"$SMITH_PROMPT"', "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"];
    if (resumeId) flags.push("--resume", resumeId);
    Object.assign(env, {
      ...(body.prompt && !conversation ? { SMITH_PROMPT: body.prompt } : {}),
      CLAUDE_CONFIG_DIR: claudeConfigDir,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      // Running as root, skipping permission prompts is only allowed inside a declared sandbox.
      IS_SANDBOX: "1",
      ...(config.ANTHROPIC_BASE_URL ? { ANTHROPIC_BASE_URL: config.ANTHROPIC_BASE_URL } : {}),
      ...(config.ANTHROPIC_API_KEY ? { ANTHROPIC_API_KEY: config.ANTHROPIC_API_KEY } : {}),
      ...(body.env ?? {}),
    });
    const cli = `${shellQuote(config.CLAUDE_CODE_PATH)} ${flags.join(" ")}`;
    // One-shot: stdin from /dev/null (an open silent stdin makes the CLI wait for input).
    // Conversation: messages come through the session's input pipe (agent-input.ts).
    const script = conversation ? conversationScript(cli) : `exec ${cli}${interactive ? "" : " < /dev/null"}`;
    const display = `claude ${flags.join(" ").replace('"$SMITH_PROMPT"', "<prompt>")}`;
    return { agentType, argv: ["/bin/sh", "-c", script], display, env, interactiveShell: false, isAgent: true, conversation };
  }
  const configured = config.SMITH_AGENTS[agentType];
  if (!configured) {
    const known = ["shell", "claude_code", ...Object.keys(config.SMITH_AGENTS)];
    throw new HttpError(400, `Unknown agent_type ${agentType}; choose from ${known.join(", ")} (more can be configured in SMITH_AGENTS)`);
  }
  if (body.prompt) env.SMITH_PROMPT = body.prompt;
  const script = `${configured.command}${body.prompt ? ' "$SMITH_PROMPT"' : ""}${configured.stdin === "null" ? " < /dev/null" : ""}`;
  return { agentType, argv: ["/bin/sh", "-c", script], display: configured.command, env, interactiveShell: false, isAgent: true, conversation: false };
}
