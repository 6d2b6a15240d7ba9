// The file API: read, atomic write, list, watch, and every way out of the workspace refused.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createHarness, KEY_A, KEY_B, readSse, type Harness } from "./test-harness";

let h: Harness;
let api: ReturnType<typeof client>;
let base: string;
let id: string;
let ws: string;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty", SMITH_FILE_MAX_BYTES: "100000" });
  ({ base } = await h.start());
  api = client(base);
  id = (await api.post("/api/v1/sessions/create", { workspace: "files", command: "sleep 60" })).body.id as string;
  ws = (await h.db.smithSession.findUniqueOrThrow({ where: { id } })).workspacePath;
});
afterAll(() => h.close());

describe("file API", { timeout: 30_000 }, () => {
  it("writes atomically, reads back text and base64, and lists", async () => {
    const w = await api.post("/api/v1/files/write", { session_id: id, path: "src/a.txt", content: "héllo\n", create_dirs: true });
    expect(w.body).toEqual({ path: "src/a.txt", size: 7 });
    const bin = Buffer.from([0, 255, 1, 2]);
    expect((await api.post("/api/v1/files/write", { session_id: id, path: "src/b.bin", content: bin.toString("base64"), encoding: "base64" })).status).toBe(200);
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "src/a.txt" })).body).toEqual({ path: "src/a.txt", encoding: "utf8", content: "héllo\n", size: 7 });
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "src/b.bin", encoding: "base64" })).body.content).toBe(bin.toString("base64"));
    const list = await api.post("/api/v1/files/list", { session_id: id, recursive: true });
    expect((list.body.entries as { path: string }[]).map((e) => e.path)).toEqual(["src", "src/a.txt", "src/b.bin"]);
    // No temporaries are left beside the file.
    expect(fs.readdirSync(path.join(ws, "src")).sort()).toEqual(["a.txt", "b.bin"]);
  });

  it("refuses every path out of the workspace with 403 naming the path", async () => {
    fs.symlinkSync("/etc", path.join(ws, "etc-link"));
    fs.symlinkSync("/etc/passwd", path.join(ws, "passwd-link"));
    fs.symlinkSync("/nonexistent-target", path.join(ws, "dangling"));
    const other = fs.mkdtempSync(path.join(h.dir, "outside-"));
    fs.symlinkSync(other, path.join(ws, "out-dir"));
    for (const p of ["../x", "src/../../x", "/etc/passwd", "etc-link/passwd", "passwd-link", "dangling", "out-dir/new.txt", "src/../../files/../../../etc"]) {
      for (const [route, body] of [
        ["read", { session_id: id, path: p }],
        ["write", { session_id: id, path: p, content: "x", create_dirs: true }],
        ["list", { session_id: id, path: p }],
      ] as const) {
        const res = await api.post(`/api/v1/files/${route}`, body);
        expect(res.status, `${route} ${p}`).toBe(403);
        expect(res.body.message).toContain(p);
      }
    }
    expect(fs.readdirSync(other)).toEqual([]);
    // A path that only passes through `..` inside the workspace is fine.
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "src/../src/a.txt" })).status).toBe(200);
  });

  it("answers 400 naming the path when a folder on the way is a file or a name is too long", async () => {
    await api.post("/api/v1/files/write", { session_id: id, path: "plain.txt", content: "x" });
    for (const create_dirs of [false, true]) {
      const res = await api.post("/api/v1/files/write", { session_id: id, path: "plain.txt/child", content: "a", create_dirs });
      expect(res.status, `create_dirs ${create_dirs}`).toBe(400);
      expect(res.body.message).toContain("plain.txt/child");
    }
    const long = await api.post("/api/v1/files/write", { session_id: id, path: `${"n".repeat(300)}.txt`, content: "a" });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/over 255 bytes/);
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "a\u0000b" })).status).toBe(400);
  });

  it("keeps organizations apart and enforces the size limit with 413", async () => {
    expect((await client(base, KEY_B).post("/api/v1/files/read", { session_id: id, path: "src/a.txt" })).status).toBe(404);
    const big = await api.post("/api/v1/files/write", { session_id: id, path: "big.txt", content: "x".repeat(100_001) });
    expect(big.status).toBe(413);
    expect(fs.existsSync(path.join(ws, "big.txt"))).toBe(false);
    fs.writeFileSync(path.join(ws, "big-on-disk.txt"), "y".repeat(100_001));
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "big-on-disk.txt" })).status).toBe(413);
    expect((await api.post("/api/v1/files/read", { session_id: id, path: "missing.txt" })).status).toBe(404);
    expect((await api.post("/api/v1/files/write", { session_id: id, path: "no/dir/f.txt", content: "x" })).status).toBe(404);
    expect((await api.post("/api/v1/files/write", { session_id: id, path: "b64.txt", content: "@@@", encoding: "base64" })).status).toBe(400);
    // Unpadded: Buffer.from would decode a shorter file without a word.
    expect((await api.post("/api/v1/files/write", { session_id: id, path: "b64.txt", content: "abc", encoding: "base64" })).status).toBe(400);
  });

  it("streams debounced create/change/delete events, ignoring .git and node_modules", async () => {
    fs.symlinkSync("/etc", path.join(ws, "old-link"));
    const res = await fetch(`${base}/api/v1/files/watch/${id}`, { headers: { authorization: `Bearer ${KEY_A}` } });
    expect(res.status).toBe(200);
    const events = readSse(res, (ev) => ev.some((e) => e.event === "file" && e.data.includes("gone.txt") && e.data.includes("delete")), 15_000);
    // Give the watcher its ready event before touching files.
    await new Promise((r) => setTimeout(r, 600));
    fs.mkdirSync(path.join(ws, ".git"), { recursive: true });
    fs.writeFileSync(path.join(ws, ".git", "HEAD"), "x");
    fs.mkdirSync(path.join(ws, "node_modules", "m"), { recursive: true });
    fs.writeFileSync(path.join(ws, "node_modules", "m", "i.js"), "x");
    await api.post("/api/v1/files/write", { session_id: id, path: "watched.txt", content: "1" });
    await new Promise((r) => setTimeout(r, 300));
    fs.appendFileSync(path.join(ws, "watched.txt"), "2");
    fs.writeFileSync(path.join(ws, "gone.txt"), "x");
    fs.symlinkSync("watched.txt", path.join(ws, "new-link"));
    await new Promise((r) => setTimeout(r, 300));
    fs.rmSync(path.join(ws, "gone.txt"));
    const files = (await events).filter((e) => e.event === "file").map((e) => JSON.parse(e.data) as { type: string; path: string });
    expect(files).toContainEqual({ type: "create", path: "watched.txt", kind: "file" });
    expect(files).toContainEqual({ type: "change", path: "watched.txt", kind: "file" });
    expect(files).toContainEqual({ type: "create", path: "gone.txt", kind: "file" });
    expect(files).toContainEqual({ type: "delete", path: "gone.txt", kind: "file" });
    expect(files.filter((f) => f.path.startsWith(".git") || f.path.startsWith("node_modules"))).toEqual([]);
    expect(files.filter((f) => f.path.includes(".smith-"))).toEqual([]);
    // A link made before the watch is not news; a link made during it is.
    expect(files.filter((f) => f.path === "old-link")).toEqual([]);
    expect(files).toContainEqual({ type: "create", path: "new-link", kind: "file" });
  });
});
