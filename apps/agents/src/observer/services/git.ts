// Runs git plumbing with a private index and author, never touching the user's index or branches.
import { execFile } from "node:child_process";

export interface GitOptions {
  cwd: string;
  gitDir: string;
  workTree?: string;
  indexFile?: string;
}

export function git(args: string[], o: GitOptions): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_DIR: o.gitDir,
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "KayOS Observer",
    GIT_AUTHOR_EMAIL: "observer@kayos.local",
    GIT_COMMITTER_NAME: "KayOS Observer",
    GIT_COMMITTER_EMAIL: "observer@kayos.local",
  };
  if (o.workTree) env.GIT_WORK_TREE = o.workTree;
  if (o.indexFile) env.GIT_INDEX_FILE = o.indexFile;
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: o.cwd, env, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Files changed between two trees (or from the empty tree), with lines added and removed. */
export async function diffTrees(o: GitOptions, from: string | null, to: string) {
  const left = from ?? (await git(["hash-object", "-t", "tree", "/dev/null"], o)).trim();
  const [numstat, status] = await Promise.all([
    git(["diff-tree", "-r", "-z", "--no-renames", "--numstat", left, to], o),
    git(["diff-tree", "-r", "-z", "--no-renames", "--name-status", left, to], o),
  ]);
  const statusOf = new Map<string, string>();
  const s = status.split("\0");
  for (let i = 0; i + 1 < s.length; i += 2) if (s[i]) statusOf.set(s[i + 1]!, s[i]!);
  const files = numstat
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [a, r, ...rest] = line.split("\t");
      const path = rest.join("\t");
      return {
        path,
        status: statusOf.get(path) ?? "M",
        added: a === "-" ? null : Number(a),
        removed: r === "-" ? null : Number(r),
      };
    });
  return {
    files,
    files_changed: files.length,
    lines_added: files.reduce((n, f) => n + (f.added ?? 0), 0),
    lines_removed: files.reduce((n, f) => n + (f.removed ?? 0), 0),
  };
}
