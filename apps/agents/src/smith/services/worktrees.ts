// A git worktree per session, for agents that work on the same repository at once: each gets its
// own folder and branch from the repository's current commit (recorded as its base), so they never
// edit each other's files. The user's repository gains the worktree and the branch, nothing else;
// a worktree with uncommitted changes is never removed.
import type { SmithChanges, SmithWorktree } from "@kayos/contracts";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HttpError } from "../../shared/errors";
import { diffTrees } from "./changes";
import { gitEnv, GitError, runGit, splitZ, type GitTarget } from "./git";
import { ensureWorkspace } from "./workspace";

/** With the real paths of the repository and of the worktree (kept in the session's settings). */
export type WorktreeInfo = SmithWorktree & { repo: string; path: string };

export class Worktrees {
  constructor(
    private readonly bin: string,
    private readonly home: string,
  ) {}

  private git(cwd: string, args: string[], target?: GitTarget, extra: { onData?: (chunk: Buffer) => boolean } = {}) {
    return runGit({ bin: this.bin, env: gitEnv(this.home, target), cwd, args, ...extra });
  }

  /** A new worktree of the repository at `repo` (the workspace), inside the organization's root. */
  async create(workspaceRoot: string, organizationId: string, workspace: string, repo: string): Promise<WorktreeInfo> {
    const top = await this.git(repo, ["rev-parse", "--show-toplevel"]).then(
      (out) => fs.realpathSync(out.toString().trim()),
      (error: unknown) => {
        if (error instanceof GitError && error.missing) throw new HttpError(503, `git is not installed on the Smith host, so a worktree cannot be made; install git`);
        throw new HttpError(400, `workspace ${workspace} is not a git repository; a worktree needs one (git init and a first commit)`);
      },
    );
    // The repository must be the workspace itself: never one that holds the organization's root.
    if (top !== repo) throw new HttpError(400, `workspace ${workspace} is not the top folder of its git repository; name the repository's folder`);
    const base = await this.git(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).then(
      (out) => out.toString().trim(),
      () => {
        throw new HttpError(400, `the repository in workspace ${workspace} has no commit yet; a worktree starts from one`);
      },
    );
    const token = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
    const name = `.worktrees/${workspace}/${token}`;
    const dir = ensureWorkspace(workspaceRoot, organizationId, name);
    const branch = `kayos/${token}`;
    await this.git(repo, ["worktree", "add", "--quiet", "-b", branch, dir, base]);
    return { name, branch, base_commit: base, repo, path: dir };
  }

  /** What the worktree holds now (commits and uncommitted files alike) against its base commit. */
  async diff(sessionId: string, w: WorktreeInfo): Promise<SmithChanges> {
    this.requireFolder(w);
    const gitDir = (await this.git(w.path, ["rev-parse", "--absolute-git-dir"])).toString().trim();
    // A throwaway index: the worktree's own index (the agent's staging) is not touched.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "smith-worktree-"));
    try {
      const target = { gitDir, workTree: w.path, indexFile: path.join(scratch, "index") };
      const git = (args: string[], extra?: { onData?: (chunk: Buffer) => boolean }) => this.git(w.path, args, target, extra);
      await git(["read-tree", "HEAD"]);
      await git(["add", "-A"]);
      const tree = (await git(["write-tree"])).toString().trim();
      return await diffTrees(git, sessionId, w.base_commit, tree);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Removes the worktree's folder (its branch stays); refused while it holds uncommitted changes. */
  async remove(w: WorktreeInfo) {
    this.requireFolder(w);
    const dirty = splitZ(await this.git(w.path, ["status", "--porcelain", "-z", "--untracked-files=all"])).map((entry) => entry.slice(3));
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 10).join(", ");
      throw new HttpError(409, `The worktree ${w.name} has uncommitted changes (${dirty.length} ${dirty.length === 1 ? "file" : "files"}: ${shown}${dirty.length > 10 ? ", …" : ""}); commit or discard them first`);
    }
    await this.git(w.repo, ["worktree", "remove", w.path]);
    return { removed: true, branch: w.branch };
  }

  private requireFolder(w: WorktreeInfo) {
    if (!fs.existsSync(w.path)) throw new HttpError(409, `The worktree ${w.name} was removed; its branch ${w.branch} keeps its commits`);
  }
}
