// Smith's own tmux server (a dedicated socket, no user config): detection and commands.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TmuxControl } from "./tmux-control";

export interface TmuxInfo {
  available: boolean;
  version: string | null;
  path: string | null;
}

export function detectTmux(): TmuxInfo {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":").concat("/usr/bin", "/usr/local/bin")) {
    const candidate = path.join(dir, "tmux");
    if (!fs.existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ["-V"], { encoding: "utf8", timeout: 5000 }).trim();
      return { available: true, version, path: candidate };
    } catch {
      // not runnable: keep looking
    }
  }
  return { available: false, version: null, path: null };
}

export interface PaneState {
  session: string;
  pid: number;
  dead: boolean;
  status: number | null;
  signal: number | null;
}

export class Tmux {
  private readonly control: TmuxControl;

  constructor(
    readonly bin: string,
    readonly socket: string,
    /** The tmux server inherits this environment: sessions must not see Smith's secrets. */
    private readonly env: Record<string, string>,
  ) {
    this.control = new TmuxControl(bin, socket, env);
  }

  /** Types bytes into a session's pane, through the control client (a tmux process each when it fails). */
  async sendKeys(session: string, bytes: Buffer) {
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0"));
    try {
      await this.control.command(["send-keys", "-t", session, "-H", ...hex].join(" "));
    } catch (error) {
      if (/can't find|no such session|not found/i.test((error as Error).message)) throw error;
      await this.run(["send-keys", "-t", session, "-H", ...hex]);
    }
  }

  /** Ends the control client (sessions and the server stay). */
  close() {
    this.control.close();
  }

  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.bin, ["-S", this.socket, "-f", "/dev/null", ...args], { env: this.env, timeout: 10_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`tmux ${args[0]}: ${stderr.trim() || error.message}`)) : resolve(stdout),
      );
    });
  }

  /**
   * Every pane of Smith's server (one per session); empty when the server is not running. `control`
   * asks through the control client: the periodic poll must not fork a `tmux` process from Smith
   * every 250 ms (each fork stalled Smith's event loop for several ms: keystroke echo p99 8-12 ms).
   */
  async panes(opts: { control?: boolean } = {}): Promise<PaneState[]> {
    const args = ["list-panes", "-a", "-F", PANE_FORMAT];
    let out: string;
    try {
      out = opts.control ? await this.control.command(`list-panes -a -F '${PANE_FORMAT}'`).catch(() => this.run(args)) : await this.run(args);
    } catch (error) {
      if (/no server running|error connecting|No such file|no current target|no sessions/i.test((error as Error).message)) return [];
      throw error;
    }
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [session, pid, dead, status, signal] = line.split("|"); // tmux prints tabs in formats as '_'; names never hold '|' 
        return { session: session!, pid: Number(pid), dead: dead === "1", status: status ? Number(status) : null, signal: signal ? Number(signal) : null };
      });
  }
}

const PANE_FORMAT = "#{session_name}|#{pane_pid}|#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}";

export const tmuxSessionName = (id: string) => `smith-${id}`;
