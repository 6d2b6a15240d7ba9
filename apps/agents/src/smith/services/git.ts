// Runs git for Smith's shadow repositories: argument arrays (never a shell), no user or system
// config (a workspace's .gitattributes cannot name a filter or diff driver that runs), no prompts.
import { spawn } from "node:child_process";

export interface GitTarget {
  gitDir: string;
  workTree: string;
  indexFile: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 120_000;
const OUTPUT_MAX = 256 * 1024 * 1024;

export function gitEnv(home: string, target?: GitTarget): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: home,
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "KaySmith",
    GIT_AUTHOR_EMAIL: "smith@kayos.invalid",
    GIT_COMMITTER_NAME: "KaySmith",
    GIT_COMMITTER_EMAIL: "smith@kayos.invalid",
    ...(target ? { GIT_DIR: target.gitDir, GIT_WORK_TREE: target.workTree, GIT_INDEX_FILE: target.indexFile } : {}),
  };
}

/** Options every call gets: no gc, no fsmonitor, paths printed as they are. */
const FIXED = ["-c", "gc.auto=0", "-c", "core.fsmonitor=false", "-c", "core.quotepath=false", "-c", "core.autocrlf=false"];

export interface GitCall {
  bin: string;
  env: Record<string, string>;
  cwd: string;
  args: string[];
  input?: Buffer;
  /** Receives stdout as it comes instead of collecting it; return false to stop git early. */
  onData?: (chunk: Buffer) => boolean;
}

export function runGit(call: GitCall): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(call.bin, [...FIXED, ...call.args], { cwd: call.cwd, env: call.env, stdio: ["pipe", "pipe", "pipe"], timeout: TIMEOUT_MS });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let stopped = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (stopped) return;
      if (call.onData) {
        if (!call.onData(chunk)) {
          stopped = true;
          child.kill("SIGTERM");
        }
        return;
      }
      size += chunk.length;
      if (size > OUTPUT_MAX) {
        stopped = true;
        child.kill("SIGTERM");
        return reject(new GitError(`git ${call.args[0]} printed more than ${OUTPUT_MAX} bytes`));
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(new GitError(error.code === "ENOENT" ? `git was not found at ${call.bin}` : `git could not run: ${error.message}`, error.code === "ENOENT")),
    );
    // git may exit before reading all of its input (it failed): that is reported by the exit code.
    child.stdin.on("error", () => undefined);
    child.stdin.end(call.input ?? Buffer.alloc(0));
    child.on("close", (code, signal) => {
      if (stopped || code === 0) return resolve(Buffer.concat(out));
      reject(new GitError(`git ${call.args[0]} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}

/** NUL-separated output as strings (the last, empty element dropped). */
export const splitZ = (out: Buffer) => {
  const parts = out.toString("utf8").split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
};
