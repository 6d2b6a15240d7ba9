// Snapshots of a session's workspace in a private shadow repository in Smith's data dir
// (SMITH_DATA_DIR/shadow/<org>/<workspace hash>.git, one per workspace), never in the workspace:
// the user's own .git, index and branches are not touched. Each session has its own index file and
// refs (refs/kayos/sessions/<id>/base and .../final). `.git` and `node_modules` are excluded, the
// workspace's .gitignore applies, and files over 1 MiB are left out (not tracked at all).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gitEnv, GitError, runGit, splitZ, type GitTarget } from "./git";
import { organizationFolder } from "./workspace";

export const SNAPSHOT_FILE_MAX = 1024 * 1024;
const FILES_MAX = 100_000;
const EXCLUDE = ".git\nnode_modules\n";

export interface SnapshotSession {
  id: string;
  organizationId: string;
  workspacePath: string;
}

export type SnapshotKind = "base" | "final";

export class ShadowRepos {
  private readonly queues = new Map<string, Promise<unknown>>();
  private availability: Promise<boolean> | undefined;

  constructor(
    private readonly bin: string,
    private readonly root: string,
  ) {}

  /** Whether git runs at all (checked once). */
  available(): Promise<boolean> {
    this.availability ??= runGit({ bin: this.bin, env: gitEnv(this.root), cwd: "/", args: ["--version"] }).then(
      () => true,
      () => false,
    );
    return this.availability;
  }

  target(session: SnapshotSession): GitTarget {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(session.id)) throw new GitError(`session id ${session.id} cannot name a git ref`);
    const workspaceHash = createHash("sha256").update(session.workspacePath).digest("hex").slice(0, 24);
    const gitDir = path.join(this.root, organizationFolder(session.organizationId), `${workspaceHash}.git`);
    return { gitDir, workTree: session.workspacePath, indexFile: path.join(gitDir, "kayos-index", session.id) };
  }

  ref = (session: SnapshotSession, kind: SnapshotKind) => `refs/kayos/sessions/${session.id}/${kind}`;

  git(target: GitTarget, args: string[], extra: { input?: Buffer; onData?: (chunk: Buffer) => boolean } = {}) {
    return runGit({ bin: this.bin, env: gitEnv(this.root, target), cwd: target.workTree, args, ...extra });
  }

  /** Records the workspace as it is now under the session's base or final ref; returns the commit. */
  snapshot(session: SnapshotSession, kind: SnapshotKind): Promise<string> {
    return this.serial(session.id, async () => {
      const target = this.target(session);
      const tree = await this.writeTree(target);
      const parent = kind === "final" ? await this.resolve(target, this.ref(session, "base")) : null;
      const commit = (await this.git(target, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", `kayos session ${session.id} ${kind}`])).toString().trim();
      await this.git(target, ["update-ref", this.ref(session, kind), commit]);
      return commit;
    });
  }

  /** The tree of the workspace now, without recording it. */
  treeNow(session: SnapshotSession): Promise<string> {
    return this.serial(session.id, () => this.writeTree(this.target(session)));
  }

  /** The commit a ref points to, or null. */
  async resolve(target: GitTarget, ref: string): Promise<string | null> {
    if (!fs.existsSync(target.gitDir)) return null;
    try {
      return (await this.git(target, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString().trim() || null;
    } catch {
      return null;
    }
  }

  private async ensureRepo(target: GitTarget) {
    if (fs.existsSync(path.join(target.gitDir, "HEAD"))) return;
    fs.mkdirSync(path.dirname(target.gitDir), { recursive: true });
    await runGit({ bin: this.bin, env: gitEnv(this.root), cwd: path.dirname(target.gitDir), args: ["init", "--quiet", "--bare", target.gitDir] });
    fs.writeFileSync(path.join(target.gitDir, "info", "exclude"), EXCLUDE);
  }

  /**
   * Brings the session's index up to the workspace and writes its tree. The index is reused, so git's
   * stat cache hashes only what changed since the last snapshot of this session.
   */
  private async writeTree(target: GitTarget): Promise<string> {
    await this.ensureRepo(target);
    fs.mkdirSync(path.dirname(target.indexFile), { recursive: true });
    const candidates = new Set([
      ...splitZ(await this.git(target, ["ls-files", "-z", "--others", "--exclude-standard"])),
      ...splitZ(await this.git(target, ["ls-files", "-z", "--modified", "--deleted"])),
    ]);
    if (candidates.size > FILES_MAX) throw new GitError(`the workspace has more than ${FILES_MAX} changed or new files; change tracking skips it`);
    const update: string[] = [];
    const drop: string[] = [];
    for (const rel of candidates) {
      // A trailing slash is a nested repository: its files are its own repository's business.
      if (rel.endsWith("/")) continue;
      let stat: fs.Stats | undefined;
      try {
        stat = fs.lstatSync(path.join(target.workTree, rel));
      } catch {
        stat = undefined;
      }
      if (stat && (stat.isDirectory() || (stat.isFile() && stat.size > SNAPSHOT_FILE_MAX))) drop.push(rel);
      else update.push(rel);
    }
    const z = (paths: string[]) => Buffer.from(paths.map((p) => `${p}\0`).join(""));
    if (drop.length) await this.git(target, ["update-index", "-z", "--force-remove", "--stdin"], { input: z(drop) });
    if (update.length) await this.git(target, ["update-index", "-z", "--add", "--remove", "--replace", "--stdin"], { input: z(update) });
    return (await this.git(target, ["write-tree"])).toString().trim();
  }

  /** One git operation per session index at a time (git's index.lock would refuse the second). */
  private serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}
