// Sessions in git worktrees of one repository: separate folders and branches from a recorded base
// commit, diffs against it, and a worktree with uncommitted work is never removed.
import type { SmithChanges, SmithSession } from "@kayos/contracts";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createHarness, KEY_B, waitFor, type Harness } from "./test-harness";

let h: Harness;
let api: ReturnType<typeof client>;
let base: string;
let repo: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@kayos.invalid", ...args], { cwd, encoding: "utf8" }).trim();

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
  base = (await h.start()).base;
  api = client(base);
  repo = path.join(h.config.WORKSPACE_ROOT, "org_a", "repo");
  fs.mkdirSync(repo, { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(repo, "README.md"), "hello\n");
  git(repo, "add", "README.md");
  git(repo, "commit", "-qm", "first");
}, 60_000);
afterAll(() => h.close());

const COMMIT = "git -c user.name=Agent -c user.email=agent@kayos.invalid commit -qm";

async function runIn(command: string): Promise<SmithSession> {
  const created = await api.post("/api/v1/sessions/create", { workspace: "repo", command, worktree: true });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  return waitFor(async () => {
    const s = (await api.get(`/api/v1/sessions/${id}`)).body as SmithSession;
    return s.status === "exited" ? s : undefined;
  }, 20_000, `session ${id}`);
}

describe("git worktrees", { timeout: 60_000 }, () => {
  it("gives concurrent sessions their own folder and branch from the same base, and diffs each against it", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const [a, b] = await Promise.all([
      runIn(`echo a > a.txt && git add a.txt && ${COMMIT} a && echo more >> README.md`),
      runIn("echo b > b.txt"),
    ]);
    expect(a.exit_code).toBe(0);
    for (const s of [a, b]) expect(s.worktree).toMatchObject({ base_commit: head, branch: expect.stringMatching(/^kayos\//) });
    expect(a.worktree!.name).not.toBe(b.worktree!.name);
    expect(a.worktree!.branch).not.toBe(b.worktree!.branch);
    // The repository's own folder, branch and index are as they were.
    expect(fs.existsSync(path.join(repo, "a.txt"))).toBe(false);
    expect(fs.existsSync(path.join(repo, "b.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(repo, "README.md"), "utf8")).toBe("hello\n");
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "log", "--format=%s", a.worktree!.branch)).toBe("a\nfirst");

    const diffA = (await api.get(`/api/v1/sessions/${a.id}/worktree/diff`)).body as SmithChanges;
    expect(diffA).toMatchObject({ base: head, files_changed: 2, lines_added: 2, lines_removed: 0 });
    expect(diffA.files.map((f) => [f.path, f.status])).toEqual([
      ["README.md", "modified"],
      ["a.txt", "added"],
    ]);
    expect(diffA.files[0]!.patch).toContain("+more");
    const diffB = (await api.get(`/api/v1/sessions/${b.id}/worktree/diff`)).body as SmithChanges;
    expect(diffB.files.map((f) => [f.path, f.status])).toEqual([["b.txt", "added"]]);
    // Computing a diff leaves the agent's own staging alone.
    const worktreeB = path.join(h.config.WORKSPACE_ROOT, "org_a", b.worktree!.name);
    expect(git(worktreeB, "status", "--porcelain")).toBe("?? b.txt");

    // The file API works in the worktree.
    const read = await api.post("/api/v1/files/read", { session_id: a.id, path: "a.txt" });
    expect(read.body).toMatchObject({ content: "a\n" });
    // Another organization does not see it.
    expect((await client(base, KEY_B).get(`/api/v1/sessions/${a.id}/worktree/diff`)).status).toBe(404);
  });

  it("never removes a worktree with uncommitted work or a running session; a clean one goes and its branch stays", async () => {
    const dirty = await runIn("echo draft > notes.txt");
    const refused = await api.del(`/api/v1/sessions/${dirty.id}/worktree`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("uncommitted changes (1 file: notes.txt)");
    expect(fs.existsSync(path.join(h.config.WORKSPACE_ROOT, "org_a", dirty.worktree!.name, "notes.txt"))).toBe(true);

    const clean = await runIn(`echo kept > kept.txt && git add kept.txt && ${COMMIT} kept`);
    const removed = await api.del(`/api/v1/sessions/${clean.id}/worktree`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: true, branch: clean.worktree!.branch });
    expect(fs.existsSync(path.join(h.config.WORKSPACE_ROOT, "org_a", clean.worktree!.name))).toBe(false);
    expect(git(repo, "show", `${clean.worktree!.branch}:kept.txt`)).toBe("kept");
    expect((await api.get(`/api/v1/sessions/${clean.id}/worktree/diff`)).status).toBe(409);

    const running = (await api.post("/api/v1/sessions/create", { workspace: "repo", worktree: true })).body.id as string;
    const busy = await api.del(`/api/v1/sessions/${running}/worktree`);
    expect(busy.status).toBe(409);
    expect(busy.body.message).toContain("still running");
    await api.del(`/api/v1/sessions/${running}`);
    expect((await api.del(`/api/v1/sessions/${running}/worktree`)).status).toBe(200);
  });

  it("refuses a worktree where there is no repository of the workspace's own", async () => {
    const plain = await api.post("/api/v1/sessions/create", { workspace: "plain", command: "true", worktree: true });
    expect(plain.status).toBe(400);
    expect(plain.body.message).toContain("is not a git repository");
    fs.mkdirSync(path.join(repo, "sub"), { recursive: true });
    const nested = await api.post("/api/v1/sessions/create", { workspace: "repo/sub", command: "true", worktree: true });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toContain("not the top folder of its git repository");
    const none = (await api.post("/api/v1/sessions/create", { workspace: "repo", command: "true" })).body.id as string;
    expect((await api.get(`/api/v1/sessions/${none}/worktree/diff`)).status).toBe(404);
  });
});
