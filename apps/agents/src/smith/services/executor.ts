// Runs a command in an interactive shell session and finds its exit code: the command goes in
// wrapped by two printf markers whose bytes (\x1e...\x1e) appear only in the output, never in the
// echoed command line, so the output between them is exactly the command's.
import type { SmithExecuteResult } from "@kayos/contracts";
import { randomBytes } from "node:crypto";
import { HttpError } from "../../shared/errors";
import type { OutputLog } from "./output-log";

const MARKER = /\x1eSMITH:([a-z0-9]+):(B|E:(\d+))\x1e(\r?\n)?/g;
const CARRY = 96;

interface Execution {
  id: string;
  token: string;
  submittedAt: number;
  start?: number;
  end?: number;
  /** Where the output stood when Ctrl-C went in: what follows is the shell's, not the command's. */
  interruptedAt?: number;
  exitCode?: number;
  done: Promise<void>;
  finish: () => void;
}

/** The shell line that runs `command` between markers; `$?` of the eval is the command's status. */
export function wrapCommand(token: string, command: string): string {
  const b64 = Buffer.from(command).toString("base64");
  return ` printf '\\036SMITH:%s:B\\036\\n' ${token}; eval "$(printf %s '${b64}' | base64 -d)"; printf '\\036SMITH:%s:E:%d\\036\\n' ${token} "$?"\r`;
}

/** Head and tail of long output, marked, with CRLF from the terminal turned into LF. */
export function capOutput(read: (from: number, len: number) => Buffer, start: number, end: number, max: number) {
  const text = (b: Buffer) => b.toString("utf8").replaceAll("\r\n", "\n");
  const len = end - start;
  if (len <= max) return { output: text(read(start, len)), truncated: false };
  const half = Math.floor(max / 2);
  const head = text(read(start, half));
  const tail = text(read(end - half, half));
  return { output: `${head}\n[... ${len - 2 * half} bytes truncated; the session stream has them all ...]\n${tail}`, truncated: true };
}

export class Executor {
  private readonly executions = new Map<string, Execution>();
  private readonly byToken = new Map<string, Execution>();
  private running?: Execution;
  private carry = "";
  private carryOffset = 0;
  private ended = false;

  constructor(
    private readonly log: OutputLog,
    private readonly write: (line: string) => void,
    private readonly maxOutput: number,
  ) {
    log.on("data", (buf, offset) => this.scan(buf, offset));
  }

  start(command: string): Execution {
    if (this.ended) throw new HttpError(409, "The session has ended");
    if (this.running) throw new HttpError(409, `Command ${this.running.id} is still running in this session; wait for it or POST /stop`);
    const token = randomBytes(6).toString("hex");
    let finish = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const execution: Execution = { id: `exe_${token}`, token, submittedAt: this.log.size, done, finish };
    this.executions.set(execution.id, execution);
    this.byToken.set(token, execution);
    this.running = execution;
    this.write(wrapCommand(token, command));
    return execution;
  }

  get(id: string): Execution | undefined {
    return this.executions.get(id);
  }

  async wait(execution: Execution, timeoutMs: number): Promise<SmithExecuteResult> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([execution.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    return this.result(execution);
  }

  result(execution: Execution): SmithExecuteResult {
    const start = execution.start ?? execution.submittedAt;
    const end = execution.end ?? (execution.start === undefined ? start : this.log.size);
    const { output, truncated } = capOutput((from, len) => this.log.readFully(from, len), start, end, this.maxOutput);
    const common = { execution_id: execution.id, offset_start: start, offset: end, output, truncated };
    return execution.exitCode === undefined ? { status: "running", ...common } : { status: "completed", exit_code: execution.exitCode, ...common };
  }

  /**
   * After Ctrl-C an interactive shell drops the rest of the command line, end marker included:
   * type the marker again with the status of an interrupted command.
   */
  interrupted() {
    const execution = this.running;
    if (!execution) return;
    // Called right after the Ctrl-C is written, before its echo can come back; catchUp takes in what
    // tmux has already written to the log (in pty mode there is nothing to take).
    execution.interruptedAt = this.log.catchUp();
    this.write(` printf '\\036SMITH:%s:E:%d\\036\\n' ${execution.token} 130\r`);
  }

  /** The session ended: a command still running ends with the session's exit code. */
  sessionEnded(exitCode: number | null) {
    this.ended = true;
    const execution = this.running;
    if (!execution) return;
    execution.start ??= execution.submittedAt;
    execution.end ??= this.log.size;
    execution.exitCode = exitCode ?? 137;
    this.running = undefined;
    execution.finish();
  }

  private scan(buf: Buffer, offset: number) {
    if (!this.running) {
      this.carry = "";
      return;
    }
    const text = this.carry + buf.toString("latin1");
    const base = this.carryOffset;
    const textStart = this.carry ? base : offset;
    MARKER.lastIndex = 0;
    let lastEnd = 0;
    for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
      lastEnd = m.index + m[0].length;
      const execution = this.byToken.get(m[1]!);
      if (!execution) continue;
      if (m[2] === "B") execution.start = textStart + lastEnd;
      else {
        execution.start ??= execution.submittedAt;
        execution.end = Math.max(execution.start, Math.min(textStart + m.index, execution.interruptedAt ?? Infinity));
        execution.exitCode = Number(m[3]);
        this.byToken.delete(execution.token);
        if (this.running === execution) this.running = undefined;
        execution.finish();
      }
    }
    // Keep the tail (past any match) so a marker split across chunks is still found.
    const keepFrom = Math.max(lastEnd, text.length - CARRY);
    this.carry = text.slice(keepFrom);
    this.carryOffset = textStart + keepFrom;
  }
}
