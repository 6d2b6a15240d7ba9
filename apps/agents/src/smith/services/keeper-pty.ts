// A session on node-pty inside the Smith process: fastest, but it ends when Smith ends.
import type { SmithResize } from "@kayos/contracts";
import pty from "node-pty";
import type { ExitInfo, Keeper, SpawnSpec } from "./keeper";
import type { OutputLog } from "./output-log";
import { endProcessTree, sessionMarker } from "./process-tree";

export class PtyKeeper implements Keeper {
  readonly mode = "pty" as const;
  private readonly proc: pty.IPty;
  private exited?: ExitInfo;
  private listeners: ((info: ExitInfo) => void)[] = [];

  private readonly marker: string;

  constructor(spec: SpawnSpec, log: OutputLog) {
    this.marker = sessionMarker(spec.id);
    const [file, ...args] = spec.argv;
    this.proc = pty.spawn(file, args, {
      name: "xterm-256color",
      cols: spec.cols,
      rows: spec.rows,
      cwd: spec.cwd,
      env: spec.env,
      encoding: null,
    });
    // With encoding null node-pty hands out Buffers; its typings still say string.
    this.proc.onData((data: string | Buffer) => log.append(typeof data === "string" ? Buffer.from(data) : data));
    this.proc.onExit(({ exitCode, signal }) => {
      this.exited = { exitCode: signal ? null : exitCode, signal: signal || null };
      for (const l of this.listeners) l(this.exited);
    });
  }

  pid() {
    return this.proc.pid;
  }

  write(data: Buffer) {
    if (!this.exited) this.proc.write(data);
  }

  resize({ cols, rows }: SmithResize) {
    if (!this.exited) this.proc.resize(cols, rows);
  }

  interrupt() {
    this.write(Buffer.from([3]));
  }

  async terminate() {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.onExit(() => resolve()));
    await endProcessTree(this.proc.pid, this.marker);
    await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
  }

  onExit(callback: (info: ExitInfo) => void) {
    if (this.exited) callback(this.exited);
    else this.listeners.push(callback);
  }

  detach() {
    // A PTY cannot outlive its Smith: nothing to keep.
  }
}
