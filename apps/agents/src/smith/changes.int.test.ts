// Changes of a session's workspace: a shadow repository in Smith's data dir records the baseline at
// create and the final state at exit; the user's own repository in the workspace is left alone.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createHarness, KEY_B, waitFor, type Harness } from "./test-harness";

interface ChangedFile {
  path: string;
  old_path: string | null;
  status: string;
  added: number | null;
  removed: number | null;
  patch: string | null;
  truncated: boolean;
}

let h: Harness;
let api: ReturnType<typeof client>;
let base: string;
let app: Awaited<ReturnType<Harness["start"]>>["app"];

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
  ({ app, base } = await h.start());
  api = client(base);
});
afterAll(() => h.close());

const workspace = (name: string) => path.join(h.config.WORKSPACE_ROOT, "org_a", name);
/** The user's git, with the user's own identity and no Smith environment. */
const userGit = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=User", "-c", "user.email=user@example.com", ...args], { cwd, encoding: "utf8", env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } });
const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

async function changes(id: string) {
  const res = await api.get(`/api/v1/sessions/${id}/changes`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { session_id: string; base: string | null; files_changed: number; lines_added: number; lines_removed: number; files: ChangedFile[] };
}

async function ended(id: string) {
  return waitFor(async () => ((await api.get(`/api/v1/sessions/${id}`)).body.status !== "running" ? true : undefined), 20_000, `session ${id} to end`);
}

describe("session changes", { timeout: 60_000 }, () => {
  it("shows exactly what the session created, modified and deleted, as it was when the session ended, and leaves the user's repository alone", async () => {
    const ws = workspace("changes");
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, "edit.txt"), "one\ntwo\nthree\n");
    fs.writeFileSync(path.join(ws, "removed.txt"), "a\nb\nc\nd\n");
    fs.writeFileSync(path.join(ws, "keep.txt"), "same\n");
    fs.writeFileSync(path.join(ws, ".gitignore"), "*.log\n");
    userGit(ws, "init", "--quiet", "--initial-branch=main");
    userGit(ws, "add", "-A");
    userGit(ws, "commit", "--quiet", "-m", "user's commit");
    const head = userGit(ws, "rev-parse", "HEAD");
    const refs = userGit(ws, "for-each-ref");
    const index = sha(path.join(ws, ".git", "index"));
    const gitFiles = fs.readdirSync(path.join(ws, ".git"), { recursive: true }).sort();

    const created = await api.post("/api/v1/sessions/create", {
      workspace: "changes",
      command: "printf 'new\\nfile\\n' > created.txt && printf 'one\\nTWO\\nthree\\n' > edit.txt && rm removed.txt && echo noise > build.log && mkdir -p node_modules/m && echo x > node_modules/m/i.js",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await ended(id);
    // Edits after the end (another session, the user) are not this session's.
    fs.writeFileSync(path.join(ws, "later.txt"), "later\n");
    fs.appendFileSync(path.join(ws, "keep.txt"), "changed later\n");

    const result = await changes(id);
    expect(result).toMatchObject({ session_id: id, base: expect.stringMatching(/^[0-9a-f]{40}$/), files_changed: 3, lines_added: 3, lines_removed: 5 });
    expect(result.files).toEqual([
      {
        path: "created.txt",
        old_path: null,
        status: "added",
        added: 2,
        removed: 0,
        truncated: false,
        patch: expect.stringMatching(/^diff --git a\/created\.txt b\/created\.txt\nnew file mode 100644\n.*\n--- \/dev\/null\n\+\+\+ b\/created\.txt\n@@ -0,0 \+1,2 @@\n\+new\n\+file\n$/),
      },
      { path: "edit.txt", old_path: null, status: "modified", added: 1, removed: 1, truncated: false, patch: expect.stringContaining("@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n") },
      { path: "removed.txt", old_path: null, status: "deleted", added: 0, removed: 4, truncated: false, patch: expect.stringContaining("--- a/removed.txt\n+++ /dev/null\n@@ -1,4 +0,0 @@\n-a\n-b\n-c\n-d\n") },
    ]);

    // The user's repository: same HEAD, refs, index and files in .git; status shows only the edits.
    expect(sha(path.join(ws, ".git", "index"))).toBe(index);
    expect(fs.readdirSync(path.join(ws, ".git"), { recursive: true }).sort()).toEqual(gitFiles);
    expect(userGit(ws, "rev-parse", "HEAD")).toBe(head);
    expect(userGit(ws, "for-each-ref")).toBe(refs);
    expect(userGit(ws, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([" D removed.txt", " M edit.txt", " M keep.txt", "?? created.txt", "?? later.txt", "?? node_modules/"]);
    expect(fs.readdirSync(ws).sort()).toEqual([".git", ".gitignore", "build.log", "created.txt", "edit.txt", "keep.txt", "later.txt", "node_modules"]);
  });

  it("compares a running session with the workspace now: binary files have no patch, big patches are cut, files over 1 MiB are left out", async () => {
    const ws = workspace("live");
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, "old-name.txt"), "stays the same\nacross the rename\nof this file\n");
    const id = (await api.post("/api/v1/sessions/create", { workspace: "live" })).body.id as string;
    expect((await changes(id)).files).toEqual([]);
    const run = await api.post(`/api/v1/sessions/${id}/execute`, {
      command: "printf 'a\\000b\\001' > blob.bin && mv old-name.txt new-name.txt && seq -f 'line %g of a long generated file' 1 5000 > long.txt && head -c 1100000 /dev/zero | tr '\\000' 'z' > huge.txt",
    });
    expect(run.body).toMatchObject({ status: "completed", exit_code: 0 });

    const result = await changes(id);
    expect(result.files.map((f) => f.path)).toEqual(["blob.bin", "long.txt", "new-name.txt"]);
    const [blob, long, renamed] = result.files;
    expect(blob).toEqual({ path: "blob.bin", old_path: null, status: "added", added: null, removed: null, patch: null, truncated: false });
    expect(long).toMatchObject({ status: "added", added: 5000, removed: 0, truncated: true });
    expect(long!.patch!.length).toBeLessThanOrEqual(64 * 1024);
    expect(long!.patch).toMatch(/\n\+line \d+ of a long generated file\n$/);
    expect(renamed).toMatchObject({ path: "new-name.txt", old_path: "old-name.txt", status: "renamed", added: 0, removed: 0 });
    expect(result).toMatchObject({ files_changed: 3, lines_added: 5000, lines_removed: 0 });

    // Live means live: a later edit shows up.
    fs.writeFileSync(path.join(ws, "blob.bin"), "now text\n");
    expect((await changes(id)).files[0]).toMatchObject({ path: "blob.bin", added: 1, removed: 0, patch: expect.stringContaining("+now text\n") });
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("answers 404 for another organization's session", async () => {
    const id = (await api.post("/api/v1/sessions/create", { workspace: "scoped", command: "true" })).body.id as string;
    const res = await client(base, KEY_B).get(`/api/v1/sessions/${id}/changes`);
    expect(res).toMatchObject({ status: 404, body: { message: `Session ${id} not found` } });
    expect((await api.get("/api/v1/sessions/nope/changes")).status).toBe(404);
  });

  it("without git, sessions still start and the changes route answers 503 saying why", async () => {
    await h.stop(app);
    const other = await h.start({ SMITH_GIT_PATH: path.join(h.dir, "no-such-git") });
    const id = (await client(other.base).post("/api/v1/sessions/create", { workspace: "no-git", command: "true" })).body.id as string;
    expect(id).toBeTruthy();
    const res = await client(other.base).get(`/api/v1/sessions/${id}/changes`);
    expect(res).toMatchObject({ status: 503, body: { message: expect.stringMatching(/git is not installed/) } });
  });
});
