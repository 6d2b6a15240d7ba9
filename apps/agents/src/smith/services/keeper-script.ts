// A session under util-linux script(1), started in a session of its own outside Smith: script holds
// the PTY and appends every byte the program prints to the log file, and takes keystrokes from a
// FIFO in the session folder. Unlike tmux it does not emulate a terminal (tmux parses each byte into
// its screen, which halved throughput), so the session survives a Smith restart at about the speed
// of reading the PTY directly. Smith tails the log as it does for tmux.
import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { SmithResize } from "@kayos/contracts";
import { exitFile, shellQuote, type ExitInfo, type Keeper, type SpawnSpec } from "./keeper";
import type { OutputLog } from "./output-log";
import { carries, endProcessTree, isAlive, sessionMarker } from "./process-tree";

// Inside the PTY, before the program: record the terminal's device (for resizing from outside), give
// it its size (script takes none from a FIFO), restore the session's SHELL (script itself runs this
// line with /bin/sh), run the program and record its exit status beside the log, where it outlives
// a Smith restart.
const WRAPPER =
  'tty > "$SMITH_TTY_FILE"; stty rows "$SMITH_ROWS" cols "$SMITH_COLS"; unset SMITH_ROWS SMITH_COLS; ' +
  'if [ -n "$SMITH_SHELL" ]; then export SHELL="$SMITH_SHELL"; else unset SHELL; fi; unset SMITH_SHELL; ' +
  '"$@"; c=$?; printf %s "$c" > "$SMITH_EXIT_FILE"; exit "$c"';
const files = (logFile: string) => {
  const dir = path.dirname(logFile);
  return { keys: path.join(dir, "keys"), exit: exitFile(logFile), tty: path.join(dir, "tty"), pid: path.join(dir, "keeper.pid") };
};

export interface ScriptInfo {
  available: boolean;
  version: string | null;
}

/** Whether util-linux script(1) runs here. */
export function detectScript(bin = "script"): ScriptInfo {
  try {
    const version = execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 5000 }).trim();
    return { available: version.includes("util-linux"), version };
  } catch {
    return { available: false, version: null };
  }
}

export class ScriptKeeper implements Keeper {
  readonly mode = "script" as const;
  private readonly marker: string;
  private readonly files: ReturnType<typeof files>;
  private exited?: ExitInfo;
  private ending?: Promise<void>;
  private listeners: ((info: ExitInfo) => void)[] = [];
  private input?: fs.WriteStream;
  /** This Smith let go of the session (it stops); the next one re-adopts it. */
  private detached = false;

  private constructor(
    id: string,
    private readonly log: OutputLog,
    private readonly scriptPid: number,
  ) {
    this.marker = sessionMarker(id);
    this.files = files(log.file);
  }

  /** Starts the session; its output goes to the log file from the first byte. */
  static start(spec: SpawnSpec, log: OutputLog, bin = "script"): ScriptKeeper {
    const f = files(spec.logFile);
    if (!fs.existsSync(f.keys)) execFileSync("mkfifo", ["-m", "600", f.keys]);
    // Read and write: script never sees the end of its input while no Smith has the FIFO open.
    const input = fs.openSync(f.keys, fs.constants.O_RDWR);
    const output = fs.openSync(spec.logFile, "a");
    const command = ["/bin/sh", "-c", WRAPPER, "smith-keeper", ...spec.argv].map(shellQuote).join(" ");
    // The environment goes to script directly (never on a command line `ps` shows).
    const env = {
      ...spec.env,
      SHELL: "/bin/sh",
      SMITH_SHELL: spec.env.SHELL ?? "",
      SMITH_TTY_FILE: f.tty,
      SMITH_EXIT_FILE: f.exit,
      SMITH_ROWS: String(spec.rows),
      SMITH_COLS: String(spec.cols),
    };
    try {
      const child = spawn(bin, ["--quiet", "--echo", "always", "--command", command, "/dev/null"], { cwd: spec.cwd, env, stdio: [input, output, "ignore"], detached: true });
      if (child.pid === undefined) throw new Error(`${bin} did not start`);
      child.unref();
      fs.writeFileSync(f.pid, String(child.pid));
      const keeper = new ScriptKeeper(spec.id, log, child.pid);
      // While this Smith runs, script is its child: its exit is reported at once (later ones poll).
      child.once("exit", () => void keeper.check());
      log.tail();
      return keeper;
    } finally {
      fs.closeSync(input);
      fs.closeSync(output);
    }
  }

  /** Re-adopts a session an earlier Smith started, if its script still runs; null when it is gone. */
  static adopt(id: string, log: OutputLog): ScriptKeeper | null {
    const f = files(log.file);
    const pid = fs.existsSync(f.pid) ? Number(fs.readFileSync(f.pid, "utf8")) : NaN;
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const keeper = new ScriptKeeper(id, log, pid);
    if (!keeper.running() && !fs.existsSync(f.exit)) return null;
    log.tail();
    void keeper.check();
    return keeper;
  }

  pid() {
    return this.scriptPid;
  }

  /** Whether the session's script still runs: a pid the kernel gave to another program since is not it (ours carries the session's marker). */
  private running(): boolean {
    return isAlive(this.scriptPid) && carries(this.scriptPid, this.marker);
  }

  /** Finishes the session once script has exited (called on its exit and by the manager's poll). */
  check(): Promise<void> {
    if (this.exited || this.detached || this.running()) return Promise.resolve();
    this.ending ??= this.finish();
    return this.ending;
  }

  private async finish() {
    // script wrote every byte before it exited: one last read of the file has them all.
    this.log.catchUp();
    this.input?.destroy();
    const recorded = fs.existsSync(this.files.exit) ? Number(fs.readFileSync(this.files.exit, "utf8")) : NaN;
    // No status recorded: the wrapper itself was killed (a delete ends the whole tree), so no code is known.
    this.exited = { exitCode: Number.isInteger(recorded) ? recorded : null, signal: null };
    for (const l of this.listeners) l(this.exited);
  }

  write(data: Buffer) {
    if (this.exited || data.length === 0) return;
    // A stream (writes on libuv's threads, in order): a full FIFO must not stall Smith's event loop.
    this.input ??= fs.createWriteStream(this.files.keys, { flags: "a" }).on("error", () => undefined);
    this.input.write(data);
  }

  resize({ cols, rows }: SmithResize) {
    if (this.exited || !fs.existsSync(this.files.tty)) return;
    const tty = fs.readFileSync(this.files.tty, "utf8").trim();
    // The kernel tells the terminal's foreground programs (SIGWINCH), as for any terminal.
    if (tty.startsWith("/dev/")) execFile("stty", ["-F", tty, "rows", String(rows), "cols", String(cols)], { timeout: 5000 }, () => undefined);
  }

  interrupt() {
    this.write(Buffer.from([3]));
  }

  async terminate() {
    if (this.exited) return;
    await endProcessTree(this.scriptPid, this.marker);
    const deadline = Date.now() + 5000;
    while (!this.exited && Date.now() < deadline) {
      await this.check();
      if (!this.exited) await new Promise((r) => setTimeout(r, 50));
    }
  }

  onExit(callback: (info: ExitInfo) => void) {
    if (this.exited) callback(this.exited);
    else this.listeners.push(callback);
  }

  detach() {
    this.detached = true;
    this.input?.destroy();
    this.log.close();
  }
}
