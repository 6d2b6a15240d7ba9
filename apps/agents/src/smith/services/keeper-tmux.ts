// A session inside Smith's tmux server: the process and its output capture (pipe-pane into the log
// file) live outside Smith, so a restarted Smith re-adopts the session with nothing lost.
import type { SmithResize } from "@kayos/contracts";
import fs from "node:fs";
import path from "node:path";
import { exitFile, shellQuote, type ExitInfo, type Keeper, type SpawnSpec } from "./keeper";
import type { OutputLog } from "./output-log";
import { endProcessTree, sessionMarker } from "./process-tree";
import { tmuxSessionName, type PaneState, type Tmux } from "./tmux";

const SETTLE_MS = 150;
// The session's environment (API keys among it) goes through a file only Smith's user can read, which
// the wrapper reads and deletes: as `-e K=V` it would sit in the tmux server's command line for `ps`.
// tmux does not always learn a pane's exit status (seen with tmux 3.3a): the wrapper writes it beside
// the log, where it also outlives a Smith restart.
const KEEPER_SCRIPT = '. "$SMITH_ENV_FILE"; rm -f "$SMITH_ENV_FILE"; unset SMITH_ENV_FILE; "$@"; c=$?; printf %s "$c" > "$SMITH_EXIT_FILE"; exit "$c"';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function writeEnvFile(file: string, env: Record<string, string>) {
  const lines = Object.entries(env).map(([k, v]) => {
    if (!IDENTIFIER.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`);
    return `export ${k}=${shellQuote(v)}\n`;
  });
  fs.writeFileSync(file, lines.join(""), { mode: 0o600 });
}

export class TmuxKeeper implements Keeper {
  readonly mode = "tmux" as const;
  readonly name: string;
  private readonly marker: string;
  private panePid?: number;
  private exited?: ExitInfo;
  private ending?: Promise<void>;
  private listeners: ((info: ExitInfo) => void)[] = [];
  private inputQueue: Buffer[] = [];
  private sending = false;

  private constructor(
    private readonly tmux: Tmux,
    id: string,
    private readonly log: OutputLog,
  ) {
    this.name = tmuxSessionName(id);
    this.marker = sessionMarker(id);
  }

  /** Starts the session; output is captured from the first byte (pipe-pane runs in the same command). */
  static async start(tmux: Tmux, spec: SpawnSpec, log: OutputLog): Promise<TmuxKeeper> {
    const keeper = new TmuxKeeper(tmux, spec.id, log);
    const envFile = path.join(path.dirname(spec.logFile), "env");
    writeEnvFile(envFile, spec.env);
    const envArgs = ["-e", `SMITH_ENV_FILE=${envFile}`, "-e", `SMITH_EXIT_FILE=${exitFile(spec.logFile)}`];
    await tmux.run([
      "start-server", ";",
      "set-option", "-g", "exit-empty", "off", ";",
      "set-option", "-g", "remain-on-exit", "on", ";",
      "set-option", "-g", "status", "off", ";",
      "new-session", "-d", "-s", keeper.name, "-x", String(spec.cols), "-y", String(spec.rows), "-c", spec.cwd, ...envArgs, "--", "/bin/sh", "-c", KEEPER_SCRIPT, "smith-keeper", ...spec.argv, ";",
      "pipe-pane", "-O", "-t", keeper.name, `cat >> ${shellQuote(spec.logFile)}`,
    ]).catch((error: unknown) => {
      fs.rmSync(envFile, { force: true });
      throw error;
    });
    log.tail();
    return keeper;
  }

  /** Re-adopts a session found running at start-up. */
  static adopt(tmux: Tmux, id: string, log: OutputLog, pane: PaneState): TmuxKeeper {
    const keeper = new TmuxKeeper(tmux, id, log);
    keeper.panePid = pane.pid;
    log.tail();
    return keeper;
  }

  pid() {
    return this.panePid;
  }

  /** Called by the manager's pane poll. */
  observe(pane: PaneState | undefined): Promise<void> {
    if (this.exited) return Promise.resolve();
    if (pane && !pane.dead) {
      this.panePid = pane.pid;
      return Promise.resolve();
    }
    this.ending ??= this.finish(pane);
    return this.ending;
  }

  private async finish(pane: PaneState | undefined) {
    // Close the capture pipe, then wait for its last bytes to land in the file.
    await this.tmux.run(["pipe-pane", "-t", this.name]).catch(() => undefined);
    let size = -1;
    for (let i = 0; i < 40 && size !== this.log.catchUp(); i++) {
      size = this.log.size;
      await new Promise((r) => setTimeout(r, SETTLE_MS));
    }
    // tmux may mark the pane dead (pty closed) before it has reaped the process: wait for the status.
    let final = pane;
    for (let i = 0; i < 10 && final && final.status === null && final.signal === null && !fs.existsSync(exitFile(this.log.file)); i++) {
      await new Promise((r) => setTimeout(r, 50));
      final = (await this.tmux.panes().catch(() => [])).find((p) => p.session === this.name) ?? final;
    }
    await this.tmux.run(["kill-session", "-t", this.name]).catch(() => undefined);
    let exitCode = final?.status ?? null;
    const recorded = exitFile(this.log.file);
    if (fs.existsSync(recorded)) exitCode = Number(fs.readFileSync(recorded, "utf8")) || 0;
    this.exited = { exitCode, signal: exitCode === null ? (final?.signal ?? null) : null };
    for (const l of this.listeners) l(this.exited);
  }

  write(data: Buffer) {
    if (this.exited || data.length === 0) return;
    this.inputQueue.push(data);
    void this.flushInput();
  }

  // Keystrokes typed while a send is in flight go out together, in order.
  private async flushInput() {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.inputQueue.length > 0) {
        const data = Buffer.concat(this.inputQueue.splice(0));
        for (let i = 0; i < data.length; i += 4096) await this.tmux.sendKeys(this.name, data.subarray(i, i + 4096)).catch(() => undefined);
      }
    } finally {
      this.sending = false;
    }
  }

  resize({ cols, rows }: SmithResize) {
    if (!this.exited) void this.tmux.run(["resize-window", "-t", this.name, "-x", String(cols), "-y", String(rows)]).catch(() => undefined);
  }

  interrupt() {
    this.write(Buffer.from([3]));
  }

  async terminate() {
    if (this.exited) return;
    await endProcessTree(this.panePid ?? -1, this.marker);
    const deadline = Date.now() + 5000;
    while (!this.exited && Date.now() < deadline) {
      const pane = (await this.tmux.panes()).find((p) => p.session === this.name);
      await this.observe(pane);
      if (!this.exited) await new Promise((r) => setTimeout(r, 50));
    }
  }

  onExit(callback: (info: ExitInfo) => void) {
    if (this.exited) callback(this.exited);
    else this.listeners.push(callback);
  }

  detach() {
    this.log.close();
  }
}
