// `execute` on a session that runs an agent rather than a shell: the command runs beside it, in
// the same workspace and environment, as its own process group (stdin /dev/null); its output is
// kept on disk (not mixed into the agent's terminal) and capped in the answer like any execute.
import type { SmithExecuteResult } from "@kayos/contracts";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { capOutput } from "./executor";
import { OutputLog } from "./output-log";
import { endProcessTree } from "./process-tree";

interface SideExecution {
  id: string;
  log: OutputLog;
  pid?: number;
  exitCode?: number;
  done: Promise<void>;
}

export class SideExecutor {
  private readonly executions = new Map<string, SideExecution>();

  constructor(
    private readonly dir: string,
    private readonly cwd: string,
    private readonly env: Record<string, string>,
    private readonly maxOutput: number,
    private readonly isolate: (argv: [string, ...string[]]) => [string, ...string[]] = (argv) => argv,
  ) {}

  start(command: string): SideExecution {
    const id = `exe_${randomBytes(6).toString("hex")}`;
    const log = OutputLog.open(path.join(this.dir, `${id}.log`));
    const [bin, ...args] = this.isolate(["/bin/sh", "-c", command]);
    const child = spawn(bin, args, { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const execution: SideExecution = {
      id,
      log,
      pid: child.pid,
      done: new Promise<void>((resolve) => {
        child.on("close", (code, signal) => {
          execution.exitCode = code ?? (signal ? 128 : 1);
          log.end();
          resolve();
        });
        child.on("error", () => {
          execution.exitCode = 127;
          log.end();
          resolve();
        });
      }),
    };
    child.stdout.on("data", (b: Buffer) => log.append(b));
    child.stderr.on("data", (b: Buffer) => log.append(b));
    this.executions.set(id, execution);
    return execution;
  }

  get(id: string) {
    return this.executions.get(id);
  }

  async wait(execution: SideExecution, timeoutMs: number): Promise<SmithExecuteResult> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([execution.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    const { output, truncated } = capOutput((from, len) => execution.log.readFully(from, len), 0, execution.log.size, this.maxOutput);
    const common = { execution_id: execution.id, offset_start: 0, offset: execution.log.size, output, truncated };
    return execution.exitCode === undefined ? { status: "running", ...common } : { status: "completed", exit_code: execution.exitCode, ...common };
  }

  /** The session ends: so do the commands started beside it. */
  async endAll() {
    await Promise.all(
      [...this.executions.values()].map(async (e) => {
        if (e.exitCode === undefined && e.pid) await endProcessTree(e.pid, undefined, { int: 200, term: 500 });
        await e.done;
        e.log.release();
      }),
    );
  }
}
