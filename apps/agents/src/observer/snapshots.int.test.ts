import type { ErrorBody, SessionMetrics, SnapshotDiff, SnapshotManifest } from "@kayos/contracts";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_B, startObserver } from "./test-helpers";

let o: Awaited<ReturnType<typeof startObserver>>;
let repo: string;
let plain: string;
const sh = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: "u", GIT_AUTHOR_EMAIL: "u@x", GIT_COMMITTER_NAME: "u", GIT_COMMITTER_EMAIL: "u@x" } }).toString();

beforeAll(async () => {
  o = await startObserver();
  repo = mkdtempSync(path.join(o.workspaceRoot, "org_a", "ws-git-"));
  sh(repo, "init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "a.txt"), "one\ntwo\nthree\n");
  writeFileSync(path.join(repo, ".gitignore"), "node_modules/\n");
  mkdirSync(path.join(repo, "src"));
  writeFileSync(path.join(repo, "src", "b.ts"), "export const b = 1;\n");
  sh(repo, "add", "-A");
  sh(repo, "commit", "-q", "-m", "init");
  plain = mkdtempSync(path.join(o.workspaceRoot, "org_a", "ws-plain-"));
  writeFileSync(path.join(plain, "notes.md"), "# notes\n");
});
afterAll(async () => {
  await o.stop();
  rmSync(repo, { recursive: true, force: true });
  rmSync(plain, { recursive: true, force: true });
});

describe("snapshots of a real workspace", () => {
  let first: string;
  let second: string;

  it("snapshots a git workspace without touching the user's index, branch or HEAD", async () => {
    writeFileSync(path.join(repo, "a.txt"), "one\nTWO\nthree\nfour\n");
    writeFileSync(path.join(repo, "untracked.txt"), "new\n");
    mkdirSync(path.join(repo, "node_modules"));
    writeFileSync(path.join(repo, "node_modules", "x.js"), "ignored");
    const indexBefore = readFileSync(path.join(repo, ".git", "index"));
    const headBefore = sh(repo, "rev-parse", "HEAD");
    const statusBefore = sh(repo, "status", "--porcelain");
    const res = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "snap-s", workspace: repo } });
    expect(res.status).toBe(200);
    first = res.body.snapshot_id;
    expect(res.body.files.map((f) => f.path).sort()).toEqual([".gitignore", "a.txt", "src/b.ts", "untracked.txt"]);
    expect(res.body.ref).toBe(`refs/kayos/snapshots/${first}`);
    expect(readFileSync(path.join(repo, ".git", "index")).equals(indexBefore)).toBe(true);
    expect(sh(repo, "rev-parse", "HEAD")).toBe(headBefore);
    expect(sh(repo, "status", "--porcelain")).toBe(statusBefore);
    expect(sh(repo, "rev-parse", res.body.ref).trim()).toBe(res.body.commit);
  });

  it("diffs a snapshot against its predecessor: files changed, lines added and removed", async () => {
    writeFileSync(path.join(repo, "src", "b.ts"), "export const b = 2;\nexport const c = 3;\n");
    unlinkSync(path.join(repo, "untracked.txt"));
    const res = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "snap-s", workspace: repo } });
    second = res.body.snapshot_id;
    expect(res.body.parent_id).toBe(first);
    const diff = (await o.call<SnapshotDiff>("GET", `/api/v1/snapshots/${second}/diff`)).body;
    expect(diff).toMatchObject({ from: first, to: second, files_changed: 2, lines_added: 2, lines_removed: 2 });
    expect(diff.files).toEqual(
      expect.arrayContaining([
        { path: "src/b.ts", status: "M", added: 2, removed: 1 },
        { path: "untracked.txt", status: "D", added: 0, removed: 1 },
      ]),
    );
    const manifest = (await o.call<SnapshotManifest>("GET", `/api/v1/snapshots/${first}`)).body;
    expect(manifest).toMatchObject({ snapshot_id: first, session_id: "snap-s", file_count: 4 });
  });

  it("snapshots only named files on top of the previous snapshot", async () => {
    writeFileSync(path.join(repo, "a.txt"), "changed again\n");
    writeFileSync(path.join(repo, "src", "b.ts"), "not included\n");
    const res = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "snap-s", workspace: repo, files: ["a.txt"] } });
    const diff = (await o.call<SnapshotDiff>("GET", `/api/v1/snapshots/${res.body.snapshot_id}/diff`)).body;
    expect(diff.files.map((f) => f.path)).toEqual(["a.txt"]);
    const m = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/snap-s")).body;
    expect(m).toMatchObject({ snapshots: 3, files_changed: 3, files: 3 });
    expect(m.lines_added).toBeGreaterThan(0);
  });

  it("snapshots a folder that is not a git repository into a shadow repository", async () => {
    const a = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "plain-s", workspace: plain } });
    writeFileSync(path.join(plain, "notes.md"), "# notes\n\nmore\n");
    const b = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "plain-s", workspace: plain } });
    expect(a.status).toBe(200);
    const diff = (await o.call<SnapshotDiff>("GET", `/api/v1/snapshots/${b.body.snapshot_id}/diff?against=${a.body.snapshot_id}`)).body;
    expect(diff).toMatchObject({ files_changed: 1, lines_added: 2, lines_removed: 0 });
    expect(readFileSync(path.join(plain, "notes.md"), "utf8")).toContain("more");
  });

  it("still diffs a removed plain folder's snapshots; says so when a removed repository's cannot be", async () => {
    const gone = mkdtempSync(path.join(o.workspaceRoot, "org_a", "ws-gone-"));
    writeFileSync(path.join(gone, "f.txt"), "1\n");
    await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "gone-plain", workspace: gone } });
    writeFileSync(path.join(gone, "f.txt"), "1\n2\n");
    const last = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "gone-plain", workspace: gone } });
    rmSync(gone, { recursive: true, force: true });
    expect((await o.call<SnapshotDiff>("GET", `/api/v1/snapshots/${last.body.snapshot_id}/diff`)).body).toMatchObject({ files_changed: 1, lines_added: 1 });
    expect((await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/gone-plain")).body).toMatchObject({ files_changed: 1, snapshots: 2 });

    const goneRepo = mkdtempSync(path.join(o.workspaceRoot, "org_a", "ws-gone-git-"));
    sh(goneRepo, "init", "-q");
    writeFileSync(path.join(goneRepo, "f.txt"), "1\n");
    await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "gone-git", workspace: goneRepo } });
    writeFileSync(path.join(goneRepo, "f.txt"), "2\n");
    const lastGit = await o.call<SnapshotManifest>("POST", "/api/v1/snapshots/create", { body: { session_id: "gone-git", workspace: goneRepo } });
    rmSync(goneRepo, { recursive: true, force: true });
    const diff = await o.call<ErrorBody>("GET", `/api/v1/snapshots/${lastGit.body.snapshot_id}/diff`);
    expect(diff.status).toBe(410);
    expect(diff.body.message).toContain(goneRepo);
    const metrics = await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/gone-git");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatchObject({ snapshots: 2, files_changed: 0, code_changes_unavailable: expect.stringContaining("no longer exists") });
  });

  it("refuses named files it cannot snapshot with 400 naming them", async () => {
    mkdirSync(path.join(plain, "sub"), { recursive: true });
    symlinkSync("/etc", path.join(plain, "esc"));
    for (const f of ["sub", "esc/passwd", "."]) {
      const res = await o.call<ErrorBody>("POST", "/api/v1/snapshots/create", { body: { session_id: "files-bad", workspace: plain, files: [f] } });
      expect(res.status, f).toBe(400);
      expect(res.body.message).toContain(f);
    }
    unlinkSync(path.join(plain, "esc"));
  });

  it("refuses bad workspaces and paths, unknown snapshots, and other organizations", async () => {
    expect((await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "x", workspace: "relative/path" } })).status).toBe(400);
    expect((await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "x", workspace: "/does/not/exist" } })).status).toBe(400);
    // Only the caller organization's workspaces: not the host, not another organization's, not via a symlink.
    const outside = await o.call<ErrorBody>("POST", "/api/v1/snapshots/create", { body: { session_id: "x", workspace: os.tmpdir() } });
    expect(outside.status).toBe(403);
    expect(outside.body.message).toContain(`Workspace ${os.tmpdir()} is outside this organization's workspaces`);
    expect((await o.call("POST", "/api/v1/snapshots/create", { key: KEY_B, body: { session_id: "x", workspace: repo } })).status).toBe(403);
    symlinkSync(os.tmpdir(), path.join(o.workspaceRoot, "org_a", "escape"));
    expect((await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "x", workspace: "escape" } })).status).toBe(403);
    expect((await o.call("POST", "/api/v1/snapshots/create", { body: { session_id: "x", workspace: repo, files: ["../etc/passwd"] } })).status).toBe(400);
    const missing = await o.call<ErrorBody>("GET", "/api/v1/snapshots/snap_nope");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("snap_nope");
    expect((await o.call("GET", `/api/v1/snapshots/${first}`, { key: KEY_B })).status).toBe(404);
    expect((await o.call("GET", `/api/v1/snapshots/${first}/diff`, { key: KEY_B })).status).toBe(404);
    expect((await o.call("GET", "/api/v1/analytics/metrics/snap-s", { key: KEY_B })).status).toBe(404);
  });
});
