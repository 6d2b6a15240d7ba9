import { z } from "zod";
import { isBase64, text } from "./common";

/**
 * KaySmith (:8001) wire contracts: terminal sessions in workspaces, commands, output streams,
 * files and coding agents. Paths and bodies follow the seed (`/api/v1/sessions/create` with
 * `{workspace, agent_type}`), extended.
 */

/** `claude-code` (the seed's spelling in its curl examples) is accepted and stored as `claude_code`. */
export const smithAgentType = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, '-' or '_'")
  .transform((t) => (t === "claude-code" ? "claude_code" : t));

export const smithSessionStatus = z.enum(["starting", "running", "exited", "killed", "lost"]);
export const smithKeeperMode = z.enum(["script", "tmux", "pty"]);
export type SmithKeeperMode = z.infer<typeof smithKeeperMode>;

const dimension = (max: number) => z.number().int().min(1).max(max);

export const smithSessionCreate = z.object({
  /** A name inside the organization's workspace root; a leading `/` is dropped, `..` is refused. */
  workspace: text().min(1).max(500),
  /** `shell` (default), `claude_code` / `claude-code`, or an agent configured in SMITH_AGENTS. */
  agent_type: smithAgentType.optional(),
  /** For `shell`: a command run by `sh -c` instead of an interactive shell. */
  command: text().min(1).max(64 * 1024).optional(),
  /** For coding agents: the task. */
  prompt: text().min(1).max(100 * 1024).optional(),
  /** For `claude_code`: a Claude Code session id (or a Smith session id of an earlier run) to continue. */
  resume: text().min(1).max(200).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"), text().max(32 * 1024))
    .optional(),
  cols: dimension(1000).optional(),
  rows: dimension(500).optional(),
  /** Seconds without output or input after which the session is ended; 0 turns it off. */
  idle_timeout_s: z.number().int().min(0).max(7 * 24 * 3600).optional(),
  /**
   * For `claude_code` with a prompt: keep the CLI open for follow-up messages (its
   * `--input-format stream-json` mode) until the conversation is ended or the session deleted.
   */
  conversation: z.boolean().optional(),
  /**
   * For `claude_code`: `skip` (default) lets the agent use every tool; `ask` makes each tool use
   * that needs permission wait for a decision (`POST .../approvals/{request_id}`). Without
   * `conversation` the run ends with its result, as a run without approvals does.
   */
  approvals: z.enum(["skip", "ask"]).optional(),
  /**
   * Run in a new git worktree of the workspace's repository (its own folder and branch from the
   * current commit), so agents working on one repository at once do not collide.
   */
  worktree: z.boolean().optional(),
});
export type SmithSessionCreate = z.infer<typeof smithSessionCreate>;

export const smithAgentResult = z.object({
  is_error: z.boolean(),
  subtype: z.string().optional(),
  result: z.string().optional(),
  agent_session_id: z.string().optional(),
  num_turns: z.number().optional(),
  duration_ms: z.number().optional(),
  total_cost_usd: z.number().optional(),
  usage: z.record(z.string(), z.unknown()).optional(),
});
export type SmithAgentResult = z.infer<typeof smithAgentResult>;

export const smithWorktree = z.object({
  /** The worktree's folder as a workspace name (inside the organization's root). */
  name: z.string(),
  branch: z.string(),
  /** The commit it started from; its diff is against this. */
  base_commit: z.string(),
});
export type SmithWorktree = z.infer<typeof smithWorktree>;
export const smithWorktreeRemoved = z.object({ removed: z.boolean(), branch: z.string() });

export const smithSession = z.object({
  id: z.string(),
  workspace: z.string(),
  agent_type: z.string(),
  command: z.string(),
  status: smithSessionStatus,
  /** `script` and `tmux`: survives a Smith restart; `pty`: ends with the Smith process. */
  mode: smithKeeperMode,
  exit_code: z.number().int().nullable(),
  end_reason: z.string().nullable(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** Bytes of output kept on disk: the offset a stream resumes to when it has seen everything. */
  output_bytes: z.number().int(),
  agent_session_id: z.string().nullable(),
  agent_result: smithAgentResult.nullable(),
  /** The session's git worktree, when it was created with one. */
  worktree: smithWorktree.nullable(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
});
export type SmithSession = z.infer<typeof smithSession>;

export const smithSessionList = z.object({ sessions: z.array(smithSession) });
export const smithSessionParams = z.object({ id: text().min(1).max(200) });

export const smithExecuteBody = z.object({
  command: text().min(1).max(64 * 1024),
  /** How long to wait for the command; after it the call answers `running` and the command goes on. */
  timeout_ms: z.number().int().min(0).max(600_000).optional(),
});

const executeCommon = {
  execution_id: z.string(),
  /**
   * Byte offsets where the command's output starts and (so far) ends: in the session's output for an
   * interactive shell; for a command run beside a command or agent session, in that execution's own output.
   */
  offset_start: z.number().int(),
  offset: z.number().int(),
  output: z.string(),
  /** True when the middle of the output was left out (head and tail kept); the stream has it all. */
  truncated: z.boolean(),
};
export const smithExecuteResult = z.discriminatedUnion("status", [
  z.object({ status: z.literal("completed"), exit_code: z.number().int(), ...executeCommon }),
  z.object({ status: z.literal("running"), ...executeCommon }),
]);
export type SmithExecuteResult = z.infer<typeof smithExecuteResult>;
export const smithExecutionParams = z.object({ id: text().min(1).max(200), execution_id: text().min(1).max(200) });
export const smithExecutionWait = z.object({ wait_ms: z.coerce.number().int().min(0).max(600_000).optional() });

export const smithInputBody = z
  .object({
    data: z.string().max(64 * 1024),
    encoding: z.enum(["utf8", "base64"]).optional(),
  })
  .refine((b) => b.encoding !== "base64" || isBase64(b.data), { message: "is not valid base64", path: ["data"] });
export const smithResizeBody = z.object({ cols: dimension(1000), rows: dimension(500) });
export type SmithResize = z.infer<typeof smithResizeBody>;

export const smithStreamQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  /** `utf8` (default): text, chunks never split a character; `base64`: the exact bytes. */
  encoding: z.enum(["utf8", "base64"]).optional(),
});

/** One SSE `output` event's data; the event id is `offset + bytes`, the offset to resume from. */
export const smithOutputEvent = z.object({ offset: z.number().int(), bytes: z.number().int(), data: z.string() });
export const smithEndEvent = z.object({
  status: smithSessionStatus,
  exit_code: z.number().int().nullable(),
  output_bytes: z.number().int(),
});

/** WebSocket terminal frames from the client (binary frames are raw input bytes). */
export const smithTerminalClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().max(64 * 1024) }),
  z.object({ type: z.literal("resize"), cols: dimension(1000), rows: dimension(500) }),
  z.object({ type: z.literal("ping") }),
]);
export type SmithTerminalClientMessage = z.infer<typeof smithTerminalClientMessage>;

export const smithAgentEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("init"), agent_session_id: z.string(), model: z.string().optional(), tools: z.array(z.string()).optional() }),
  z.object({ type: z.literal("assistant_text"), text: z.string() }),
  z.object({ type: z.literal("tool_call"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal("tool_result"), tool_use_id: z.string(), is_error: z.boolean(), content: z.string() }),
  z.object({ type: z.literal("result"), ...smithAgentResult.shape }),
  /** A message from the user (follow-ups in a conversation, and the CLI's own notes such as an interrupt). */
  z.object({ type: z.literal("user_message"), text: z.string() }),
  /** The agent asks to use a tool; it waits until the request is decided. */
  z.object({
    type: z.literal("permission_request"),
    request_id: z.string(),
    tool: z.string(),
    input: z.unknown(),
    tool_use_id: z.string().optional(),
    description: z.string().optional(),
  }),
]);
export type SmithAgentEvent = z.infer<typeof smithAgentEvent>;
export const smithAgentEvents = z.object({ events: z.array(smithAgentEvent) });

// Conversations with a coding agent (claude_code sessions created with `conversation` or `approvals: ask`).
export const smithMessageBody = z.object({ text: z.string().trim().min(1, "must not be empty").max(100 * 1024) });
export const smithApprovalParams = z.object({ id: text().min(1).max(200), request_id: text().min(1).max(200) });
export const smithApprovalDecision = z.object({
  behavior: z.enum(["allow", "deny"]),
  /** For `deny`: what the agent is told (it goes on without the tool). */
  message: z.string().max(10_000).optional(),
});
export type SmithApprovalDecision = z.infer<typeof smithApprovalDecision>;
export const smithApproval = z.object({
  request_id: z.string(),
  tool: z.string(),
  input: z.unknown(),
  tool_use_id: z.string().optional(),
  description: z.string().optional(),
  /** null while the agent waits for it. */
  decision: z.enum(["allow", "deny"]).nullable(),
});
export type SmithApproval = z.infer<typeof smithApproval>;
export const smithApprovals = z.object({ approvals: z.array(smithApproval) });
export const smithConversationState = z.object({
  /** True while the agent waits for the next message (its turn has ended) or for a decision. */
  awaiting_input: z.boolean(),
  pending_approvals: z.number().int(),
});

// Files: every path is relative to the session's workspace.
const relPath = text().min(1).max(4096);
export const smithFileRead = z.object({ session_id: text().min(1).max(200), path: relPath, encoding: z.enum(["utf8", "base64"]).optional() });
export const smithFileContent = z.object({ path: z.string(), encoding: z.enum(["utf8", "base64"]), content: z.string(), size: z.number().int() });
export const smithFileWrite = z.object({
  session_id: text().min(1).max(200),
  path: relPath,
  content: z.string(),
  encoding: z.enum(["utf8", "base64"]).optional(),
  /** Create missing parent folders (inside the workspace). */
  create_dirs: z.boolean().optional(),
});
export const smithFileWritten = z.object({ path: z.string(), size: z.number().int() });
export const smithFileList = z.object({
  session_id: text().min(1).max(200),
  path: relPath.optional(),
  recursive: z.boolean().optional(),
});
export const smithFileEntry = z.object({
  path: z.string(),
  type: z.enum(["file", "dir", "symlink", "other"]),
  size: z.number().int(),
  modified_at: z.string(),
});
export const smithFileListing = z.object({ path: z.string(), entries: z.array(smithFileEntry), truncated: z.boolean() });
export const smithWatchParams = z.object({ session_id: text().min(1).max(200) });
/** One SSE `file` event of the watch stream. */
export const smithFileEvent = z.object({ type: z.enum(["create", "change", "delete"]), path: z.string(), kind: z.enum(["file", "dir"]) });
export type SmithFileEvent = z.infer<typeof smithFileEvent>;

export const smithHealthDetails = z.object({
  mode: smithKeeperMode,
  mode_reason: z.string(),
  /** Whether sessions see only their organization's workspaces and their own processes. */
  isolation: z.object({ mode: z.enum(["namespaces", "off"]), reason: z.string() }),
  tmux: z.object({ available: z.boolean(), version: z.string().nullable() }),
  claude_code: z.object({ available: z.boolean(), version: z.string().nullable(), path: z.string() }),
  sessions_running: z.number().int(),
});
export type SmithHealthDetails = z.infer<typeof smithHealthDetails>;

/** Files a session changed in its workspace, against the snapshot taken when it was created. */
export const smithChangedFile = z.object({
  path: z.string(),
  /** The path before a rename; null otherwise. */
  old_path: z.string().nullable(),
  status: z.enum(["added", "modified", "deleted", "renamed"]),
  /** Line counts; null for binary files. */
  added: z.number().int().nullable(),
  removed: z.number().int().nullable(),
  /** The file's unified diff (with its `diff --git` header); null for binary files, or when the response's patch budget ran out (then truncated). */
  patch: z.string().nullable(),
  /** True when the patch was cut (64 KiB per file, 1 MiB per response) or left out for size. */
  truncated: z.boolean(),
});
export type SmithChangedFile = z.infer<typeof smithChangedFile>;
export const smithChanges = z.object({
  session_id: z.string(),
  /** The baseline commit in Smith's shadow repository; null when none was recorded (git missing or failed at create). */
  base: z.string().nullable(),
  files_changed: z.number().int(),
  lines_added: z.number().int(),
  lines_removed: z.number().int(),
  files: z.array(smithChangedFile),
});
export type SmithChanges = z.infer<typeof smithChanges>;
