// Workspace snapshots as git objects: a private index, `write-tree`, `commit-tree` on the session's
// previous snapshot, and a private ref (refs/kayos/snapshots/<id>) that keeps the objects alive.
// A git workspace keeps its objects in its own repository; any other folder gets a shadow repository.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { SnapshotManifest } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import { organizationFolder } from "../../smith/services/workspace";
import type { ObserverContext } from "../context";
import { diffTrees, git, type GitOptions } from "./git";

interface Row {
  id: string;
  session_id: string;
  parent_id: string | null;
  workspace: string;
  commit_sha: string;
  tree_sha: string;
  file_count: number;
  total_bytes: number;
  created_at: Date;
  manifest: { git_dir: string; ref: string; files: SnapshotManifest["files"] };
}

const locks = new Map<string, Promise<unknown>>();
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  locks.set(key, next.catch(() => undefined));
  return next;
}

/**
 * The workspace to snapshot, confined to the organization's folder under WORKSPACE_ROOT: an
 * absolute path inside it, or a workspace name (as Smith's sessions use). Symlinks are resolved
 * first, so none can lead outside; anything else is 403 naming the path.
 */
function checkWorkspace(ctx: ObserverContext, org: string, workspace: string): string {
  const orgRoot = path.join(path.resolve(ctx.env.WORKSPACE_ROOT), organizationFolder(org));
  const wanted = path.isAbsolute(workspace) ? path.resolve(workspace) : path.resolve(orgRoot, workspace);
  if (!existsSync(wanted) || !statSync(wanted).isDirectory()) throw new HttpError(400, `Workspace ${workspace} is not a folder`);
  const real = realpathSync(wanted);
  const realRoot = existsSync(orgRoot) ? realpathSync(orgRoot) : orgRoot;
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new HttpError(403, `Workspace ${workspace} is outside this organization's workspaces (${realRoot})`);
  }
  return real;
}

async function gitDirFor(ctx: ObserverContext, ws: string): Promise<string> {
  if (existsSync(path.join(ws, ".git"))) {
    return path.resolve(ws, (await git(["rev-parse", "--git-dir"], { cwd: ws, gitDir: path.join(ws, ".git") })).trim());
  }
  const shadow = path.join(ctx.env.OBSERVER_SNAPSHOT_DIR, `${createHash("sha256").update(ws).digest("hex").slice(0, 24)}.git`);
  if (!existsSync(path.join(shadow, "HEAD"))) {
    mkdirSync(shadow, { recursive: true });
    await git(["init", "--bare", "--quiet", shadow], { cwd: ws, gitDir: shadow });
  }
  return shadow;
}

function checkFiles(files: string[]): string[] {
  return files.map((f) => {
    const norm = path.posix.normalize(f.replaceAll("\\", "/"));
    if (path.posix.isAbsolute(norm) || norm === ".." || norm.startsWith("../") || norm === ".git" || norm.startsWith(".git/")) {
      throw new HttpError(400, `File ${f} must be a path inside the workspace`);
    }
    if (norm === "." || norm === "./") throw new HttpError(400, `File ${f} names the workspace itself; leave out files to snapshot all of it`);
    return norm;
  });
}

export async function createSnapshot(
  ctx: ObserverContext,
  org: string,
  input: { session_id: string; workspace: string; files?: string[]; message?: string },
): Promise<SnapshotManifest> {
  const ws = checkWorkspace(ctx, org, input.workspace);
  const files = input.files ? checkFiles(input.files) : undefined;
  const gitDir = await gitDirFor(ctx, ws);
  return serialized(gitDir, async () => {
    const { rows: prev } = await ctx.pool.query<Row>(
      `SELECT * FROM snapshots WHERE organization_id = $1 AND session_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [org, input.session_id],
    );
    const parent = prev[0]?.manifest.git_dir === gitDir ? prev[0] : undefined;
    // A private, persistent index keeps git's stat cache between snapshots, so unchanged files are not re-read.
    const o: GitOptions = { cwd: ws, gitDir, workTree: ws, indexFile: path.join(gitDir, "kayos-snapshot-index") };
    if (files) {
      await git(parent ? ["read-tree", parent.tree_sha] : ["read-tree", "--empty"], o);
      if (files.length > 0) {
        await git(["update-index", "--add", "--remove", "--", ...files], o).catch((error: Error) => {
          // git names the path it cannot take: a folder, a path behind a symbolic link.
          throw new HttpError(400, `Could not snapshot the named files: ${error.message.replace(/^git update-index failed: /, "")}`);
        });
      }
    } else {
      await git(["add", "--all", "--", "."], o);
    }
    const tree = (await git(["write-tree"], o)).trim();
    const id = `snap_${Date.now().toString(36)}${randomBytes(6).toString("hex")}`;
    const commit = (
      await git(["commit-tree", tree, ...(parent ? ["-p", parent.commit_sha] : []), "-m", input.message ?? `KayOS snapshot ${id} of session ${input.session_id}`], o)
    ).trim();
    const ref = `refs/kayos/snapshots/${id}`;
    await git(["update-ref", ref, commit], o);
    const listing = await git(["ls-tree", "-r", "-l", "-z", tree], o);
    const manifestFiles = listing
      .split("\0")
      .filter(Boolean)
      .map((line) => {
        const [meta, p] = line.split("\t");
        const [mode, , oid, size] = meta!.trim().split(/\s+/);
        return { path: p!, mode: mode!, oid: oid!, size: size === "-" ? 0 : Number(size) };
      });
    const totalBytes = manifestFiles.reduce((n, f) => n + f.size, 0);
    const { rows } = await ctx.pool.query<Row>(
      `INSERT INTO snapshots (id, organization_id, session_id, parent_id, manifest, workspace, commit_sha, tree_sha, file_count, total_bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [id, org, input.session_id, prev[0]?.id ?? null, JSON.stringify({ git_dir: gitDir, ref, files: manifestFiles }), ws, commit, tree, manifestFiles.length, totalBytes],
    );
    return toManifest(rows[0]!);
  });
}

const toManifest = (r: Row): SnapshotManifest => ({
  snapshot_id: r.id,
  session_id: r.session_id,
  parent_id: r.parent_id,
  commit: r.commit_sha,
  tree: r.tree_sha,
  ref: r.manifest.ref,
  workspace: r.workspace,
  file_count: r.file_count,
  total_bytes: Number(r.total_bytes),
  created_at: r.created_at.toISOString(),
  files: r.manifest.files,
});

async function load(ctx: ObserverContext, org: string, id: string): Promise<Row> {
  const { rows } = await ctx.pool.query<Row>(`SELECT * FROM snapshots WHERE organization_id = $1 AND id = $2`, [org, id]);
  if (!rows[0]) throw new HttpError(404, `Snapshot ${id} not found`);
  return rows[0];
}

export async function getSnapshot(ctx: ObserverContext, org: string, id: string) {
  return toManifest(await load(ctx, org, id));
}

// Comparing stored trees needs only the repository: not the workspace, which may since have been
// removed (a plain folder's snapshots live on in Observer's shadow repository).
const inRepository = (gitDir: string): GitOptions => ({ cwd: gitDir, gitDir });
const gone = (workspace: string) => `the git repository of workspace ${workspace} no longer exists (the workspace was removed)`;

/** Diff of `id` against `against` (or its predecessor; the empty tree for a session's first snapshot). */
export async function diffSnapshot(ctx: ObserverContext, org: string, id: string, against?: string) {
  const to = await load(ctx, org, id);
  const from = against ? await load(ctx, org, against) : to.parent_id ? await load(ctx, org, to.parent_id) : null;
  if (from && from.manifest.git_dir !== to.manifest.git_dir) throw new HttpError(400, `Snapshots ${from.id} and ${id} are of different repositories`);
  if (!existsSync(to.manifest.git_dir)) throw new HttpError(410, `${gone(to.workspace)}: snapshot ${id} can no longer be compared`);
  const d = await diffTrees(inRepository(to.manifest.git_dir), from?.tree_sha ?? null, to.tree_sha);
  return { from: from?.id ?? null, to: id, ...d };
}

/** Net change over a session: its first snapshot against its last. */
export async function sessionCodeChanges(ctx: ObserverContext, org: string, session: string) {
  const { rows } = await ctx.pool.query<Pick<Row, "tree_sha" | "manifest" | "workspace"> & { n: number }>(
    `(SELECT tree_sha, manifest->'git_dir' AS git_dir, workspace, 0 AS n FROM snapshots WHERE organization_id = $1 AND session_id = $2 ORDER BY created_at, id LIMIT 1)
     UNION ALL
     (SELECT tree_sha, manifest->'git_dir', workspace, (SELECT COUNT(*) FROM snapshots WHERE organization_id = $1 AND session_id = $2)::int FROM snapshots WHERE organization_id = $1 AND session_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1)`,
    [org, session],
  );
  const none: { snapshots: number; files_changed: number; lines_added: number; lines_removed: number; unavailable?: string } = {
    snapshots: 0,
    files_changed: 0,
    lines_added: 0,
    lines_removed: 0,
  };
  if (rows.length < 2) return none;
  const [first, last] = rows as unknown as { tree_sha: string; git_dir: string; workspace: string; n: number }[];
  if (first!.git_dir !== last!.git_dir || first!.tree_sha === last!.tree_sha) return { ...none, snapshots: last!.n };
  if (!existsSync(last!.git_dir)) return { ...none, snapshots: last!.n, unavailable: gone(last!.workspace) };
  const d = await diffTrees(inRepository(last!.git_dir), first!.tree_sha, last!.tree_sha);
  return { snapshots: last!.n, files_changed: d.files_changed, lines_added: d.lines_added, lines_removed: d.lines_removed };
}
