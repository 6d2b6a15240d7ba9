// Session lifecycle: create, adopt at start-up, input, execute, stop, delete, end. The database row
// is the record; live sessions of this Smith are kept in memory with their keeper and output log.
import type { SmithAgentEvent, SmithKeeperMode, SmithResize, SmithSessionCreate } from "@kayos/contracts";
import fs from "node:fs";
import path from "node:path";
import { HttpError } from "../../shared/errors";
import type { Prisma } from "@kayos/db/agents";
import { awaitsInput, createInputPipe } from "./agent-input";
import type { SmithConfig } from "../env";
import { sessionBody, type SessionRow, type SessionStore } from "../store/sessions";
import { launchFor } from "./agents";
import { LineSplitter, parseClaudeLine, stripAnsi } from "./claude-events";
import type { ExitInfo, Keeper, SpawnSpec } from "./keeper";
import { PtyKeeper } from "./keeper-pty";
import { ScriptKeeper } from "./keeper-script";
import { TmuxKeeper } from "./keeper-tmux";
import { LiveSession, type SessionSettings } from "./live-session";
import { OutputLog } from "./output-log";
import type { Reporter } from "./reporter";
import type { ShadowRepos, SnapshotKind } from "./shadow-repo";
import type { Worktrees } from "./worktrees";
import { tmuxSessionName, type Tmux } from "./tmux";
import type { Isolation } from "./isolation";
import { handOverTranscript } from "./transcript";
import { ensureWorkspace, organizationFolder, workspaceName } from "./workspace";

export interface ManagerDeps {
  store: SessionStore;
  config: SmithConfig;
  /** What keeps new sessions (sessions of other keepers an earlier Smith left are still re-adopted). */
  keeper: SmithKeeperMode;
  /** Smith's tmux server, when sessions run under tmux. */
  tmux: Tmux | null;
  reporter: Reporter;
  /** Snapshots for GET /sessions/{id}/changes; absent in setups that do not track changes. */
  shadow?: ShadowRepos;
  worktrees: Worktrees;
  /** What sessions see of the machine (absent: everything, as Smith's user). */
  isolation?: Isolation;
  logger: { info: (msg: string) => void; warn: (msg: string) => void };
}

const PTY_SETTLE_MS = 30;

export class SessionManager {
  private readonly live = new Map<string, LiveSession>();
  private readonly starting = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private polling = false;
  private closed = false;

  constructor(private readonly deps: ManagerDeps) {}

  get mode(): SmithKeeperMode {
    return this.deps.keeper;
  }

  get running() {
    return this.live.size;
  }

  sessionDir(id: string) {
    return path.join(this.deps.config.SMITH_DATA_DIR, "sessions", id);
  }

  /** Runs argv the way the session's processes run: seeing its organization's workspaces and its own folders only. */
  private isolate(row: Pick<SessionRow, "id" | "organizationId" | "workspacePath">) {
    const { config, isolation } = this.deps;
    const keep = [
      path.join(config.WORKSPACE_ROOT, organizationFolder(row.organizationId)),
      this.sessionDir(row.id),
      path.join(config.SMITH_DATA_DIR, "claude", organizationFolder(row.organizationId)),
      row.workspacePath,
    ];
    const home = isolation?.mode === "namespaces" ? this.organizationHome(row.organizationId) : undefined;
    return (argv: [string, ...string[]]) => (isolation ? isolation.wrap(argv, keep, home) : argv);
  }

  /** The organization's HOME for its isolated sessions, made on first use (with a git identity, so agents can commit). */
  private organizationHome(organizationId: string) {
    const dir = path.join(this.deps.config.SMITH_DATA_DIR, "homes", organizationFolder(organizationId));
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(dir, ".gitconfig"), "[user]\n\tname = KayOS agent\n\temail = agent@kayos.local\n");
    }
    return dir;
  }

  /** Starts the timers and re-adopts what an earlier Smith left (retried while the database is away). */
  async start() {
    this.timers.push(setInterval(() => void this.pollKeepers(), 250), setInterval(() => this.checkIdle(), 1000), setInterval(() => void this.persistProgress(), 2000));
    for (const t of this.timers) t.unref();
    const attempt = async (): Promise<void> => {
      try {
        await this.adopt();
      } catch (error) {
        if (this.closed) return;
        this.deps.logger.warn(`smith: could not re-adopt sessions yet (${(error as Error).message.split("\n")[0]}); retrying in 5 s`);
        await new Promise((r) => setTimeout(r, 5000).unref());
        if (!this.closed) return attempt();
      }
    };
    this.adoption = attempt();
    await Promise.race([this.adoption, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  /** Resolves once start-up adoption has run. */
  adoption: Promise<void> = Promise.resolve();

  /** Re-adopts script and tmux sessions an earlier Smith left running; marks the rest lost (their output stays). */
  private async adopt() {
    const { store, tmux } = this.deps;
    const panes = tmux ? await tmux.panes() : [];
    for (const row of await store.unfinished()) {
      if (this.live.has(row.id)) continue;
      const pane = panes.find((p) => p.session === tmuxSessionName(row.id));
      const log = fs.existsSync(row.outputPath) ? OutputLog.open(row.outputPath) : undefined;
      const keeper = !log ? null : row.mode === "tmux" && tmux && pane ? TmuxKeeper.adopt(tmux, row.id, log, pane) : row.mode === "script" ? ScriptKeeper.adopt(row.id, log) : null;
      if (log && keeper) {
        const live = this.attach(row, log, keeper);
        if (live.input) live.awaitingInput = awaitsInput(await this.agentEvents(row.organizationId, row.id));
        this.deps.logger.info(`smith: re-adopted session ${row.id} (${row.mode}, ${log.size} bytes of output)`);
      } else {
        log?.close();
        const reason =
          row.mode === "tmux"
            ? "its tmux session is gone (tmux server stopped or machine restarted)"
            : row.mode === "script"
              ? "its script(1) process is gone (ended without a Smith, or the machine restarted)"
              : "it ran on a PTY inside a Smith that stopped";
        const size = fs.existsSync(row.outputPath) ? fs.statSync(row.outputPath).size : Number(row.outputBytes);
        await store.update(row.id, { status: "lost", endReason: `lost: ${reason}; output kept`, endedAt: new Date(), outputBytes: size });
      }
    }
  }

  async create(organizationId: string, body: SmithSessionCreate): Promise<SessionRow> {
    const { config } = this.deps;
    // Count sessions still starting too (creates run concurrently), and hold the slot until attached.
    const mine = [...this.live.values()].filter((s) => s.organizationId === organizationId).length + (this.starting.get(organizationId) ?? 0);
    if (mine >= config.SMITH_MAX_SESSIONS_PER_ORG) {
      throw new HttpError(429, `The organization has ${mine} running sessions, the limit (SMITH_MAX_SESSIONS_PER_ORG); delete one first`);
    }
    this.starting.set(organizationId, (this.starting.get(organizationId) ?? 0) + 1);
    try {
      return await this.launch(organizationId, body);
    } finally {
      this.starting.set(organizationId, this.starting.get(organizationId)! - 1);
    }
  }

  private async launch(organizationId: string, body: SmithSessionCreate): Promise<SessionRow> {
    const { config, store } = this.deps;
    const name = workspaceName(body.workspace);
    const workspace = ensureWorkspace(config.WORKSPACE_ROOT, organizationId, name);
    let resumeId: string | undefined;
    if (body.resume) {
      if (body.agent_type !== "claude_code") throw new HttpError(400, "resume is for agent_type claude_code");
      const earlier = await store.findAgentRun(organizationId, body.resume);
      resumeId = earlier?.agentSessionId ?? body.resume;
      if (!/^[A-Za-z0-9_-]+$/.test(resumeId)) throw new HttpError(400, `resume ${body.resume} is not a session id`);
    }
    const claudeDir = path.join(config.SMITH_DATA_DIR, "claude", organizationFolder(organizationId));
    const worktree = body.worktree ? await this.deps.worktrees.create(config.WORKSPACE_ROOT, organizationId, name, workspace) : undefined;
    const cwd = worktree?.path ?? workspace;
    let launch: ReturnType<typeof launchFor>;
    try {
      launch = launchFor(body, config, claudeDir, resumeId, cwd);
    } catch (error) {
      // Refused: the worktree made for it is still clean, so it goes.
      if (worktree) await this.deps.worktrees.remove(worktree).catch(() => undefined);
      throw error;
    }
    const settings: SessionSettings = {
      interactive_shell: launch.interactiveShell,
      is_agent: launch.isAgent,
      idle_timeout_s: body.idle_timeout_s ?? config.SMITH_IDLE_TIMEOUT_S,
      ...(launch.conversation ? { conversation: true, follow_ups: body.conversation === true } : {}),
      ...(worktree ? { worktree } : {}),
    };
    let row = await store.create({
      organizationId,
      workspace: name,
      workspacePath: cwd,
      agentType: launch.agentType,
      command: launch.display,
      mode: this.mode,
      cols: body.cols ?? 120,
      rows: body.rows ?? 32,
      prompt: body.prompt,
      settings: { ...settings },
    });
    // Before the program starts, so everything it does counts as its change.
    await this.snapshot(row, "base");
    const dir = this.sessionDir(row.id);
    fs.mkdirSync(dir, { recursive: true });
    const logFile = path.join(dir, "output.log");
    const log = OutputLog.open(logFile);
    const input: Record<string, string> = launch.conversation ? { SMITH_INPUT: createInputPipe(dir) } : {};
    const isolate = this.isolate({ id: row.id, organizationId, workspacePath: cwd });
    const spec: SpawnSpec = { id: row.id, argv: isolate(launch.argv), cwd, env: { ...launch.env, ...input, SMITH_SESSION_ID: row.id }, cols: row.cols, rows: row.rows, logFile };
    let keeper: Keeper;
    try {
      const { tmux } = this.deps;
      keeper =
        this.mode === "script" ? ScriptKeeper.start(spec, log) : this.mode === "tmux" && tmux ? await TmuxKeeper.start(tmux, spec, log) : new PtyKeeper(spec, log);
    } catch (error) {
      log.release();
      await store.update(row.id, { status: "exited", endReason: `failed to start: ${(error as Error).message}`, endedAt: new Date(), outputPath: logFile });
      throw new HttpError(503, `The session could not start: ${(error as Error).message}`);
    }
    row = await store.update(row.id, { status: "running", outputPath: logFile });
    const live = this.attach(row, log, keeper, launch.env, isolate);
    // The conversation's first message (it waits in the pipe while the CLI starts).
    if (live.input && body.prompt) await live.input.message(body.prompt);
    this.deps.reporter.report(organizationId, [
      {
        session_id: row.id,
        log_line: `session started: ${launch.agentType} in ${name} (${this.mode})`,
        timestamp: new Date().toISOString(),
        source: "smith.session",
        attributes: { agent_type: launch.agentType, workspace: name, mode: this.mode, command: launch.display },
        event_id: `smith:${row.id}:started`,
      },
    ]);
    return row;
  }

  private attach(row: SessionRow, log: OutputLog, keeper: Keeper, env?: Record<string, string>, isolate = this.isolate(row)) {
    const session = new LiveSession(row, log, keeper, this.deps.reporter, this.deps.config.SMITH_EXECUTE_OUTPUT_MAX, env, isolate);
    this.live.set(row.id, session);
    session.onExit((info) => void this.finalize(session, info));
    return session;
  }

  /** The organization's session (404 for unknown ids and other organizations' ids alike). */
  async get(organizationId: string, id: string): Promise<{ row: SessionRow; live?: LiveSession }> {
    const live = this.live.get(id);
    if (live && live.organizationId === organizationId) return { row: live.row, live };
    const row = await this.deps.store.findForOrg(organizationId, id);
    if (!row) throw new HttpError(404, `Session ${id} not found`);
    return { row, live: this.live.get(id) };
  }

  async body(organizationId: string, id: string) {
    const { row, live } = await this.get(organizationId, id);
    return sessionBody(row, live?.log.size);
  }

  async list(organizationId: string) {
    const rows = await this.deps.store.listForOrg(organizationId);
    return rows.map((r) => sessionBody(this.live.get(r.id)?.row ?? r, this.live.get(r.id)?.log.size));
  }

  /** The session's output log: the live one (shared) or, once ended, its file. Release it when done. */
  async openLog(organizationId: string, id: string): Promise<{ row: SessionRow; log: OutputLog }> {
    const { row, live } = await this.get(organizationId, id);
    if (live && !live.log.ended) return { row, log: live.log.retain() };
    if (!row.outputPath) throw new HttpError(409, `Session ${id} never started, so it has no output`);
    return { row, log: OutputLog.openEnded(row.outputPath) };
  }

  /** The agent's structured events, parsed from the output on disk (so they outlive restarts). */
  async agentEvents(organizationId: string, id: string): Promise<SmithAgentEvent[]> {
    const { row, log } = await this.openLog(organizationId, id);
    try {
      if (row.agentType !== "claude_code") throw new HttpError(409, `Session ${id} runs ${row.agentType}, which has no structured events (claude_code has)`);
      const events: SmithAgentEvent[] = [];
      const lines = new LineSplitter(0, (line) => events.push(...parseClaudeLine(stripAnsi(line))), 64 * 1024 * 1024);
      for (let at = 0; at < log.size; ) {
        const chunk = log.readFully(at, 1024 * 1024);
        lines.push(chunk, at);
        at += chunk.length;
      }
      lines.flush(log.size);
      return events;
    } finally {
      log.release();
    }
  }

  /** A session that is still running (409 when it has ended). */
  async requireLive(organizationId: string, id: string): Promise<LiveSession> {
    const { row, live } = await this.get(organizationId, id);
    if (!live || live.finalizing) throw new HttpError(409, `Session ${id} has ended (${row.status}); start a new session`);
    return live;
  }

  async execute(organizationId: string, id: string, command: string, timeoutMs: number) {
    const live = await this.requireLive(organizationId, id);
    live.lastInput = Date.now();
    if (live.executor) return live.executor.wait(live.executor.start(command), timeoutMs);
    // An agent's terminal is not a shell to type into: the command runs beside it in the workspace.
    const side = live.side!;
    return side.wait(side.start(command), timeoutMs);
  }

  async execution(organizationId: string, id: string, executionId: string, waitMs: number) {
    const { live } = await this.get(organizationId, id);
    const inShell = live?.executor?.get(executionId);
    if (inShell) return live!.executor!.wait(inShell, waitMs);
    const beside = live?.side?.get(executionId);
    if (beside) return live!.side!.wait(beside, waitMs);
    throw new HttpError(404, `Execution ${executionId} not found in session ${id} (results are kept while the session runs)`);
  }

  async input(organizationId: string, id: string, data: Buffer) {
    (await this.requireLive(organizationId, id)).write(data);
  }

  async resize(organizationId: string, id: string, size: SmithResize) {
    const live = await this.requireLive(organizationId, id);
    live.keeper.resize(size);
    live.row = { ...live.row, cols: size.cols, rows: size.rows };
    await this.deps.store.update(id, { cols: size.cols, rows: size.rows });
  }

  async stop(organizationId: string, id: string) {
    const live = await this.requireLive(organizationId, id);
    // A conversation's agent ends its turn and waits for the next message; anything else gets Ctrl-C.
    if (live.input) await live.input.interrupt();
    else live.keeper.interrupt();
    live.executor?.interrupted();
    return sessionBody(live.row, live.log.size);
  }

  /** Ends the whole process tree; an ended session answers as it is. */
  async remove(organizationId: string, id: string) {
    const { live } = await this.get(organizationId, id);
    if (live) await this.end(live, "deleted");
    return this.body(organizationId, id);
  }

  private async end(live: LiveSession, reason: string) {
    live.endReason ??= reason;
    await live.keeper.terminate();
    await live.finalizing;
  }

  private finalize(live: LiveSession, info: ExitInfo): Promise<void> {
    live.finalizing ??= (async () => {
      // node-pty can report the exit before the last bytes: wait for output to go quiet.
      if (live.keeper.mode === "pty") {
        let size = -1;
        for (let i = 0; i < 30 && size !== live.log.size; i++) {
          size = live.log.size;
          await new Promise((r) => setTimeout(r, PTY_SETTLE_MS));
        }
      }
      live.executor?.sessionEnded(info.exitCode);
      live.input?.close();
      await live.side?.endAll();
      live.flushLines();
      // Before the row says ended, so whoever sees it ended finds the final snapshot.
      await this.snapshot(live.row, "final");
      const killed = live.endReason !== undefined;
      const result = live.agentResult;
      const endReason =
        live.endReason ??
        (info.signal ? `exited on signal ${info.signal}` : result ? (result.is_error || info.exitCode !== 0 ? "agent failed" : "agent succeeded") : null);
      live.row = await this.deps.store.update(live.id, {
        status: killed ? "killed" : "exited",
        exitCode: info.exitCode,
        endReason,
        endedAt: new Date(),
        outputBytes: live.log.size,
        reportedBytes: live.reportedBytes,
        agentSessionId: live.agentSessionId ?? null,
        ...(result ? { agentResult: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonObject } : {}),
      });
      this.live.delete(live.id);
      live.log.end();
      live.log.release();
      this.deps.reporter.report(live.organizationId, [
        {
          session_id: live.id,
          log_line: `session ended: ${live.row.status}${info.exitCode !== null ? ` with exit code ${info.exitCode}` : ""}${endReason ? ` (${endReason})` : ""}`,
          timestamp: new Date().toISOString(),
          level: info.exitCode === 0 && !result?.is_error ? "info" : "warn",
          source: "smith.session",
          attributes: { status: live.row.status, exit_code: info.exitCode, end_reason: endReason, output_bytes: live.log.size, agent_result: result ?? null },
          event_id: `smith:${live.id}:ended`,
        },
      ]);
      if (live.row.agentType === "claude_code" && live.agentSessionId) {
        void handOverTranscript(this.deps, live.row, live.agentSessionId);
      }
    })();
    return live.finalizing;
  }

  /** Change tracking never stops a session: without git, or when git fails, the session goes on. */
  private async snapshot(row: SessionRow, kind: SnapshotKind) {
    const { shadow } = this.deps;
    if (!shadow || !(await shadow.available())) return;
    try {
      await shadow.snapshot(row, kind);
    } catch (error) {
      this.deps.logger.warn(`smith: no ${kind} snapshot of session ${row.id}'s workspace, so its changes are not tracked: ${(error as Error).message}`);
    }
  }

  /** Finds sessions whose keeper outside Smith has ended (an adopted script is not Smith's child: no exit event). */
  private async pollKeepers() {
    for (const s of this.live.values()) if (s.keeper instanceof ScriptKeeper) void s.keeper.check();
    const { tmux } = this.deps;
    if (!tmux || this.polling || this.closed) return;
    const watched = [...this.live.values()].filter((s) => s.keeper instanceof TmuxKeeper);
    if (watched.length === 0) return;
    this.polling = true;
    try {
      const panes = await tmux.panes({ control: true });
      for (const s of watched) void (s.keeper as TmuxKeeper).observe(panes.find((p) => p.session === tmuxSessionName(s.id)));
    } catch (error) {
      this.deps.logger.warn(`smith: tmux poll failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private checkIdle() {
    const now = Date.now();
    for (const s of this.live.values()) {
      if (s.finalizing || s.endReason) continue;
      const idle = s.settings.idle_timeout_s * 1000;
      const quiet = now - Math.max(s.lastOutput, s.lastInput);
      if (idle > 0 && quiet > idle) void this.end(s, `idle for ${s.settings.idle_timeout_s} s (idle timeout)`);
      else if (s.settings.is_agent && !s.awaitingInput && this.deps.config.SMITH_AGENT_INACTIVITY_MS > 0 && quiet > this.deps.config.SMITH_AGENT_INACTIVITY_MS) {
        void this.end(s, `watchdog: the agent printed nothing for ${Math.round(this.deps.config.SMITH_AGENT_INACTIVITY_MS / 1000)} s`);
      }
    }
  }

  private async persistProgress() {
    for (const s of this.live.values()) {
      if (s.finalizing) continue;
      const agentSessionId = s.agentSessionId ?? null;
      await this.deps.store
        .update(s.id, { outputBytes: s.log.size, reportedBytes: s.reportedBytes, agentSessionId })
        .catch(() => undefined);
    }
  }

  /** Smith stops: script and tmux sessions keep running for the next Smith; PTY sessions end with it (marked lost). */
  async close() {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.persistProgress();
    await Promise.all(
      [...this.live.values()].map(async (s) => {
        if (s.keeper.mode !== "pty") {
          s.keeper.detach();
          this.live.delete(s.id);
          return;
        }
        s.endReason = "lost: Smith stopped and PTY sessions end with it; output kept";
        await s.keeper.terminate();
        await s.finalizing;
        await this.deps.store.update(s.id, { status: "lost" }).catch(() => undefined);
      }),
    );
  }
}
