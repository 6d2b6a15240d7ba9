// Commands to Smith's tmux server over one long-lived control-mode client (`tmux -C`) instead of a
// `tmux` process per command (~15 ms each): keystrokes into a tmux-kept terminal echo in about a
// millisecond. The client sits in an idle session of its own; answers come back in order, one
// `%begin … %end` (or `%error`) block per command, and settle the oldest command waiting.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

const CONTROL_SESSION = "smith-control";

interface Waiting {
  resolve: (output: string) => void;
  reject: (error: Error) => void;
}

export class TmuxControl {
  private child?: ChildProcessWithoutNullStreams;
  private waiting: Waiting[] = [];
  private partial = "";
  private block?: { mine: boolean; lines: string[] };
  private closed = false;

  constructor(
    private readonly bin: string,
    private readonly socket: string,
    private readonly env: Record<string, string>,
    /** A tmux that stops answering must not stall keystrokes and the pane poll for good. */
    private readonly timeoutMs = 10_000,
  ) {}

  /** Runs one tmux command line (in tmux's command syntax) and resolves with what it printed. */
  command(line: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error("tmux control client closed"));
    const child = this.child ?? this.start();
    return new Promise<string>((resolve, reject) => {
      // Answers settle commands in order, so a late one cannot be told apart: end the client instead
      // (every command waiting on it fails) and start a fresh one with the next command.
      const timer = setTimeout(() => {
        this.gone(child, `did not answer within ${this.timeoutMs} ms`);
        child.kill();
      }, this.timeoutMs);
      this.waiting.push({
        resolve: (output) => (clearTimeout(timer), resolve(output)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.stdin.write(`${line}\n`);
    });
  }

  close() {
    this.closed = true;
    this.child?.stdin.end();
    this.child?.kill();
  }

  private start() {
    // The idle session keeps the client attached; -A reuses it after a Smith restart.
    const child = spawn(this.bin, ["-S", this.socket, "-f", "/dev/null", "-C", "new-session", "-A", "-s", CONTROL_SESSION, "sleep 2147483647"], {
      env: this.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => this.read(text));
    child.stderr.resume();
    child.stdin.on("error", () => undefined);
    child.on("error", (error) => this.gone(child, `failed: ${error.message}`));
    child.on("exit", (code) => this.gone(child, `exited (${code})`));
    return child;
  }

  private gone(child: ChildProcessWithoutNullStreams, why: string) {
    if (this.child !== child) return;
    this.child = undefined;
    this.block = undefined;
    this.partial = "";
    for (const w of this.waiting.splice(0)) w.reject(new Error(`tmux control client ${why}`));
  }

  private read(text: string) {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) {
      // Flag 1 marks answers to this client's commands (the attach itself has flag 0).
      const begin = /^%begin \d+ \d+ (\d+)$/.exec(line);
      if (begin) {
        this.block = { mine: begin[1] === "1", lines: [] };
        continue;
      }
      const end = /^%(end|error) \d+ \d+ \d+$/.exec(line);
      if (end && this.block) {
        const { mine, lines: output } = this.block;
        this.block = undefined;
        if (!mine) continue;
        const w = this.waiting.shift();
        if (end[1] === "end") w?.resolve(output.join("\n"));
        else w?.reject(new Error(output.join("\n") || "tmux command failed"));
        continue;
      }
      this.block?.lines.push(line);
    }
  }
}
