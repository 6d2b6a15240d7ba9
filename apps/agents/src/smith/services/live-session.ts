// One running session in this Smith: its keeper, output log, executor, the line feed to Observer,
// and the agent's structured events as they pass.
import type { LogEntryInput, SmithAgentResult } from "@kayos/contracts";
import type { SessionRow } from "../store/sessions";
import { LineSplitter, parseClaudeLine, stripAnsi } from "./claude-events";
import { Executor } from "./executor";
import type { ExitInfo, Keeper } from "./keeper";
import type { OutputLog } from "./output-log";
import type { Reporter } from "./reporter";
import { SideExecutor } from "./side-exec";
import { baseEnv } from "./agents";
import { AgentInput } from "./agent-input";
import type { WorktreeInfo } from "./worktrees";
import path from "node:path";

export interface SessionSettings {
  interactive_shell: boolean;
  is_agent: boolean;
  idle_timeout_s: number;
  transcript_reported?: boolean;
  /** Claude Code taking messages and permission decisions through its input pipe. */
  conversation?: boolean;
  /** The input stays open for follow-up messages; without, it ends with the first result (approvals only). */
  follow_ups?: boolean;
  /** The git worktree the session runs in (see worktrees.ts). */
  worktree?: WorktreeInfo;
}

export function settingsOf(row: SessionRow): SessionSettings {
  const s = (row.settings ?? {}) as Partial<SessionSettings>;
  return { interactive_shell: s.interactive_shell ?? false, is_agent: s.is_agent ?? false, idle_timeout_s: s.idle_timeout_s ?? 0, ...s };
}

export class LiveSession {
  readonly executor?: Executor;
  readonly side?: SideExecutor;
  readonly settings: SessionSettings;
  lastOutput = Date.now();
  lastInput = Date.now();
  agentSessionId?: string;
  agentResult?: SmithAgentResult;
  finalizing?: Promise<void>;
  endReason?: string;
  /** A conversation's input (see agent-input.ts). */
  readonly input?: AgentInput;
  /** The agent waits for the next message or a decision: silence is expected, not a hang. */
  awaitingInput = false;
  private readonly lines?: LineSplitter;

  constructor(
    public row: SessionRow,
    readonly log: OutputLog,
    readonly keeper: Keeper,
    private readonly reporter: Reporter,
    executeCap: number,
    /** The program's environment, for commands run beside it (a re-adopted session's is not kept: the base one). */
    env: Record<string, string> = baseEnv(),
    /** Wraps a command so it runs as isolated as the session's program (see isolation.ts). */
    isolate: (argv: [string, ...string[]]) => [string, ...string[]] = (argv) => argv,
  ) {
    this.settings = settingsOf(row);
    this.agentSessionId = row.agentSessionId ?? undefined;
    if (this.settings.conversation) this.input = new AgentInput(path.dirname(log.file));
    if (this.settings.interactive_shell) {
      this.executor = new Executor(log, (line) => keeper.write(Buffer.from(line)), executeCap);
    } else {
      this.side = new SideExecutor(path.dirname(log.file), row.workspacePath, env, executeCap, isolate);
    }
    // Lines matter only when someone reads them (Observer, or the agent-event parser): splitting
    // every line of a plain shell's output would cost throughput for nothing.
    if (reporter.enabled || row.agentType === "claude_code") {
      // Lines are handed on from where the last Smith stopped (a line boundary): none lost or doubled.
      const from = Math.min(Number(row.reportedBytes), log.size);
      const lines = new LineSplitter(from, (line, offset, end) => this.onLine(line, offset, end));
      if (from < log.size) lines.push(log.readFully(from, log.size - from), from);
      this.lines = lines;
    }
    log.on("data", (buf, offset) => {
      this.lastOutput = Date.now();
      this.lines?.push(buf, offset);
    });
  }

  get id() {
    return this.row.id;
  }

  get organizationId() {
    return this.row.organizationId;
  }

  /** Offset up to which lines were handed to the spool (persisted as reported_bytes). */
  get reportedBytes() {
    return this.lines?.position ?? this.log.size;
  }

  write(data: Buffer) {
    this.lastInput = Date.now();
    this.keeper.write(data);
  }

  /** The output is complete: the last partial line goes out too. */
  flushLines() {
    this.lines?.flush(this.log.size);
  }

  private onLine(raw: string, offset: number, end: number) {
    const entries: LogEntryInput[] = [];
    const timestamp = new Date().toISOString();
    const text = stripAnsi(raw);
    if (this.reporter.enabled && text.trim()) {
      entries.push({
        session_id: this.id,
        log_line: text,
        timestamp,
        level: "info",
        source: "smith.output",
        attributes: { offset, end },
        event_id: `smith:${this.id}:o:${offset}`,
      });
    }
    if (this.row.agentType === "claude_code") {
      for (const [i, event] of parseClaudeLine(text).entries()) {
        if (event.type === "init") this.agentSessionId = event.agent_session_id;
        if (event.type === "result") this.agentResult = event;
        if (this.input && (event.type === "result" || event.type === "permission_request")) this.awaitingInput = true;
        // A one-shot run that only asks for approvals ends with its result, as a run without them does.
        if (this.input && event.type === "result" && !this.settings.follow_ups) void this.input.end().catch(() => undefined);
        entries.push({
          session_id: this.id,
          log_line: event.type === "assistant_text" ? event.text.slice(0, 60_000) : `${event.type}`,
          timestamp,
          level: event.type === "result" && event.is_error ? "error" : "info",
          source: "smith.agent",
          attributes: { ...event, offset },
          event_id: `smith:${this.id}:a:${offset}:${i}`,
        });
      }
    }
    this.reporter.report(this.organizationId, entries);
  }

  onExit(callback: (info: ExitInfo) => void) {
    this.keeper.onExit(callback);
  }
}
