// What keeps a session's process alive and carries its terminal: node-pty inside Smith, or script(1)
// or tmux outside it (survive a Smith restart). All put the output into the session's OutputLog.
import type { SmithKeeperMode, SmithResize } from "@kayos/contracts";
import path from "node:path";

/** One argument for `sh`, single-quoted. */
export const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Where a keeper's wrapper records the program's exit status, beside the log (it outlives a Smith restart). */
export const exitFile = (logFile: string) => path.join(path.dirname(logFile), "exit-code");

export interface ExitInfo {
  exitCode: number | null;
  signal?: number | string | null;
}

export interface Keeper {
  readonly mode: SmithKeeperMode;
  /** The session leader's pid, when known. */
  pid(): number | undefined;
  write(data: Buffer): void;
  resize(size: SmithResize): void;
  /** Ctrl-C to the foreground program. */
  interrupt(): void;
  /** Ends the whole process tree (SIGINT, SIGTERM, SIGKILL) and resolves when it is gone. */
  terminate(): Promise<void>;
  /** Called once when the process has exited and its output is all in the log. */
  onExit(callback: (info: ExitInfo) => void): void;
  /** Stops watching without ending the process (tmux: it keeps running for the next Smith). */
  detach(): void;
}

export interface SpawnSpec {
  id: string;
  argv: [string, ...string[]];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  logFile: string;
}
