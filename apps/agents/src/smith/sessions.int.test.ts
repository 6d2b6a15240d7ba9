// Sessions on real PTYs (node-pty): lifecycle, execute with exit codes, stop, delete without
// leftovers, organization scope, and bad input.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, processTree, sessionMarker } from "./services/process-tree";
import { client, createHarness, KEY_B, waitFor, type Harness } from "./test-harness";

let h: Harness;
let api: ReturnType<typeof client>;
let base: string;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
  ({ base } = await h.start());
  api = client(base);
});
afterAll(() => h.close());

let n = 0;
const shell = async () => {
  const res = await api.post("/api/v1/sessions/create", { workspace: `ws-shell-${++n}` });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

describe("sessions on node-pty", { timeout: 30_000 }, () => {
  it("accepts the seed's create call as written (absolute workspace name, claude-code spelling)", async () => {
    const res = await fetch(`${base}/api/v1/sessions/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer kay_test_smith_org_a_0123456789` },
      body: JSON.stringify({ workspace: "/tmp/test-workspace", agent_type: "claude-code" }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; agent_type: string; workspace: string; mode: string; status: string };
    expect(body).toMatchObject({ agent_type: "claude_code", workspace: "tmp/test-workspace", mode: "pty", status: "running" });
    const row = await h.db.smithSession.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.workspacePath.startsWith(`${h.config.WORKSPACE_ROOT}/org_a/`)).toBe(true);
    expect((await api.del(`/api/v1/sessions/${body.id}`)).body.status).toBe("killed");
  });

  it("says in /health which keeper mode is in effect", async () => {
    const res = await fetch(`${base}/health`);
    const body = (await res.json()) as { details: { mode: string; mode_reason: string; tmux: { available: boolean } } };
    expect(body.details).toMatchObject({ mode: "pty", mode_reason: expect.stringContaining("end when Smith stops"), tmux: { available: true } });
  });

  it("runs commands in the shell with their exit codes and output, keeping shell state", async () => {
    const id = await shell();
    const ok = await api.post(`/api/v1/sessions/${id}/execute`, { command: "cd /; echo hello; pwd" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "completed", exit_code: 0, output: "hello\n/\n", truncated: false });
    const failed = await api.post(`/api/v1/sessions/${id}/execute`, { command: "sh -c 'exit 7'" });
    expect(failed.body).toMatchObject({ status: "completed", exit_code: 7 });
    const multi = await api.post(`/api/v1/sessions/${id}/execute`, { command: "for i in 1 2 3; do\n  echo \"n=$i\"\ndone\nfalse" });
    expect(multi.body).toMatchObject({ status: "completed", exit_code: 1, output: "n=1\nn=2\nn=3\n" });
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("answers running with the output so far when the timeout passes, and the command goes on", async () => {
    const id = await shell();
    // This machine's shell start-up (rc files) must not count against the short timeout below.
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "true" })).body.status).toBe("completed");
    const res = await api.post(`/api/v1/sessions/${id}/execute`, { command: "echo started; sleep 1.5; echo finished", timeout_ms: 400 });
    expect(res.body).toMatchObject({ status: "running", output: "started\n" });
    expect(res.body.offset).toBeGreaterThan(res.body.offset_start as number);
    const busy = await api.post(`/api/v1/sessions/${id}/execute`, { command: "true" });
    expect(busy.status).toBe(409);
    const later = await api.get(`/api/v1/sessions/${id}/executions/${res.body.execution_id}?wait_ms=5000`);
    expect(later.body).toMatchObject({ status: "completed", exit_code: 0, output: "started\nfinished\n" });
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("keeps head and tail of long output, marked as truncated", async () => {
    const id = await shell();
    const res = await api.post(`/api/v1/sessions/${id}/execute`, { command: "seq 1 100000" });
    expect(res.body).toMatchObject({ status: "completed", exit_code: 0, truncated: true });
    const output = res.body.output as string;
    expect(output.startsWith("1\n2\n3\n")).toBe(true);
    expect(output.endsWith("99999\n100000\n")).toBe(true);
    expect(output).toContain("bytes truncated");
    expect(output.length).toBeLessThan(h.config.SMITH_EXECUTE_OUTPUT_MAX + 200);
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("interrupts the foreground program on stop", async () => {
    const id = await shell();
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "true" })).body.status).toBe("completed");
    const res = await api.post(`/api/v1/sessions/${id}/execute`, { command: "echo before-the-stop; sleep 30", timeout_ms: 300 });
    expect(res.body.status).toBe("running");
    expect((await api.post(`/api/v1/sessions/${id}/stop`)).status).toBe(200);
    const after = await api.get(`/api/v1/sessions/${id}/executions/${res.body.execution_id}?wait_ms=5000`);
    expect(after.body).toMatchObject({ status: "completed", exit_code: 130 });
    // Only the command's own output: not the ^C, the prompt or the line Smith types to close the execution.
    expect(after.body.output).toBe("before-the-stop\n");
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("ends the whole process tree on delete, background jobs and setsid children included, leaving no zombies", async () => {
    const id = await shell();
    await api.post(`/api/v1/sessions/${id}/execute`, { command: "sleep 300 & (trap '' INT TERM; sleep 301) & setsid sleep 302 & echo ok" });
    const live = await waitFor(async () => {
      const row = await h.db.smithSession.findUniqueOrThrow({ where: { id } });
      return row.status === "running" ? row : undefined;
    });
    expect(live.status).toBe("running");
    const { ptyPid } = await pidOf(id);
    const cmdline = (pid: number) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      } catch {
        return "";
      }
    };
    await waitFor(() => processTree(ptyPid, sessionMarker(id)).some((pid) => cmdline(pid) === "sleep 302"));
    const before = processTree(ptyPid, sessionMarker(id));
    // bash, sleep 300, sleep 301 ignoring INT and TERM, and the setsid'd sleep 302 (re-parented to init)
    const cmdlines = before.map(cmdline);
    expect(cmdlines).toEqual(expect.arrayContaining(["sleep 300", "sleep 301", "sleep 302"]));
    const res = await api.del(`/api/v1/sessions/${id}`);
    expect(res.body).toMatchObject({ status: "killed", end_reason: "deleted" });
    for (const pid of before) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
    // A repeated delete answers the ended session; commands on it are refused.
    expect((await api.del(`/api/v1/sessions/${id}`)).status).toBe(200);
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "true" })).status).toBe(409);
    expect((await api.post(`/api/v1/sessions/${id}/stop`)).status).toBe(409);
    expect((await api.post(`/api/v1/sessions/${id}/input`, { data: "x" })).status).toBe(409);
  });

  it("records the exit code of a command session that finishes by itself", async () => {
    const res = await api.post("/api/v1/sessions/create", { workspace: "ws-cmd", command: "echo done; exit 3" });
    const id = res.body.id as string;
    const ended = await waitFor(async () => {
      const s = await api.get(`/api/v1/sessions/${id}`);
      return s.body.status === "exited" ? s.body : undefined;
    });
    expect(ended).toMatchObject({ exit_code: 3, status: "exited" });
    expect(ended.output_bytes).toBeGreaterThan(0);
  });

  it("runs execute beside an agent session, in its workspace", async () => {
    const res = await api.post("/api/v1/sessions/create", { workspace: "ws-side", command: "sleep 30", env: { SIDE_VAR: "from-create" } });
    const id = res.body.id as string;
    const out = await api.post(`/api/v1/sessions/${id}/execute`, { command: 'echo "var=$SIDE_VAR"; pwd; exit 4' });
    expect(out.body).toMatchObject({ status: "completed", exit_code: 4, output: expect.stringMatching(/^var=from-create\n.*ws-side\n$/) });
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("lists only the caller's sessions and answers 404 for another organization's session", async () => {
    const id = await shell();
    const other = client(base, KEY_B);
    expect((await other.get(`/api/v1/sessions/${id}`)).status).toBe(404);
    expect((await other.post(`/api/v1/sessions/${id}/execute`, { command: "id" })).status).toBe(404);
    expect((await other.del(`/api/v1/sessions/${id}`)).status).toBe(404);
    expect((await other.get(`/api/v1/sessions/${id}/stream`)).status).toBe(404);
    const theirs = (await other.get("/api/v1/sessions")).body.sessions as { id: string }[];
    expect(theirs.map((s) => s.id)).not.toContain(id);
    const mine = (await api.get("/api/v1/sessions")).body.sessions as { id: string }[];
    expect(mine.map((s) => s.id)).toContain(id);
    expect((await api.get("/api/v1/sessions/nope")).status).toBe(404);
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("isolates a session: it sees its organization's workspaces and its own folders and processes only", async () => {
    expect(((await (await fetch(`${base}/health`)).json()) as { details: { isolation: { mode: string } } }).details.isolation.mode).toBe("namespaces");
    const other = client(base, KEY_B);
    const theirs = (await other.post("/api/v1/sessions/create", { workspace: "iso-b", command: "echo b-secret > secret.txt; echo planted-by-b > ~/.planted; sleep 30" })).body.id as string;
    const root = h.config.WORKSPACE_ROOT;
    const data = h.config.SMITH_DATA_DIR;
    await waitFor(async () => fs.existsSync(path.join(root, "org_b", "iso-b", "secret.txt")));
    const id = await shell();
    const run = async (command: string) => (await api.post(`/api/v1/sessions/${id}/execute`, { command })).body as { output: string; exit_code: number };
    expect((await run(`ls ${root}`)).output).toBe("org_a\n");
    expect((await run(`cat ${root}/org_b/iso-b/secret.txt`)).exit_code).not.toBe(0);
    expect((await run(`ls ${data}/sessions`)).output).toBe(`${id}\n`);
    // Its organization's HOME, not Smith's or another organization's (nothing planted there reaches it).
    await waitFor(async () => fs.existsSync(path.join(data, "homes", "org_b", ".planted")));
    expect((await run("cat ~/.planted")).exit_code).not.toBe(0);
    expect((await run("git config user.name")).output).toBe("KayOS agent\n");
    expect((await run("echo a > ~/.mine && ls -A ~ | grep -c ssh")).output).toBe("0\n");
    expect(fs.readFileSync(path.join(data, "homes", "org_a", ".mine"), "utf8")).toBe("a\n");
    // Its own processes only: the shell, and ps itself.
    expect(Number((await run("ls /proc | grep -c '^[0-9]'")).output.trim())).toBeLessThan(6);
    // A command run beside a command session is isolated the same way.
    const side = (await api.post("/api/v1/sessions/create", { workspace: "iso-a", command: "sleep 30" })).body.id as string;
    expect((await api.post(`/api/v1/sessions/${side}/execute`, { command: `ls ${root}; ls ${data}/sessions` })).body.output).toBe(`org_a\n${side}\n`);
    // A process that leaves the session and drops its marker still ends with it: its PID namespace goes.
    await run("setsid -f env -u SMITH_SESSION_ID sleep 307");
    const escaped = () => pidsRunning("sleep", "307");
    // setsid -f returns before its child has become `sleep`: wait for it (this raced, ~1 run in 8).
    await waitFor(async () => escaped().length === 1, 5000, "the escaped sleep");
    for (const s of [id, side]) await api.del(`/api/v1/sessions/${s}`);
    await other.del(`/api/v1/sessions/${theirs}`);
    await waitFor(async () => escaped().length === 0);
  });

  it("refuses bad input with a 4xx naming what is wrong", async () => {
    const bad = async (body: unknown, status: number, text: RegExp) => {
      const res = await api.post("/api/v1/sessions/create", body);
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(text);
    };
    const rows = await h.db.smithSession.count();
    await bad({ workspace: "../escape" }, 400, /must not contain '\.\.'/);
    await bad({}, 400, /body\.workspace/);
    await bad({ workspace: "w", agent_type: "nope" }, 400, /Unknown agent_type nope/);
    await bad({ workspace: "w", cols: 0 }, 400, /body\.cols/);
    await bad({ workspace: "a".repeat(300) }, 400, /over 255 bytes/);
    await bad({ workspace: "w", command: "echo a\u0000b" }, 400, /body\.command.*NUL/);
    await bad({ workspace: "w", env: { A: "x\u0000y" } }, 400, /body\.env\.A.*NUL/);
    fs.mkdirSync(path.join(h.config.WORKSPACE_ROOT, "org_a"), { recursive: true });
    fs.symlinkSync("/nonexistent/x", path.join(h.config.WORKSPACE_ROOT, "org_a", "dangling-ws"));
    await bad({ workspace: "dangling-ws" }, 403, /symlink that points nowhere/);
    expect(await h.db.smithSession.count()).toBe(rows);
    expect((await api.get("/api/v1/sessions/a%00b")).status).toBe(400);
    const id = await shell();
    const resize = await api.post(`/api/v1/sessions/${id}/resize`, { cols: -1, rows: 5000 });
    expect(resize.status).toBe(400);
    expect(resize.body.message).toMatch(/body\.cols.*body\.rows|body\.rows.*body\.cols/);
    expect((await api.post(`/api/v1/sessions/${id}/resize`, { cols: 100, rows: 40 })).body).toMatchObject({ cols: 100, rows: 40 });
    const input = await api.post(`/api/v1/sessions/${id}/input`, { data: "!!!", encoding: "base64" });
    expect(input.status).toBe(400);
    expect(input.body.message).toMatch(/body\.data is not valid base64/);
    await api.del(`/api/v1/sessions/${id}`);
  });
});

/** Host pids whose command line is exactly `argv`. */
function pidsRunning(...argv: string[]) {
  return fs.readdirSync("/proc").filter((p) => {
    try {
      return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, "utf8") === `${argv.join("\0")}\0`;
    } catch {
      return false;
    }
  });
}

async function pidOf(id: string) {
  // The PTY's child is the session leader: find it among /proc entries whose cwd is the workspace.
  const row = await h.db.smithSession.findUniqueOrThrow({ where: { id } });
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === Number(name) && fs.readlinkSync(`/proc/${name}/cwd`) === row.workspacePath && fs.readFileSync(`/proc/${name}/environ`, "utf8").includes("HISTCONTROL=ignorespace")) {
        return { ptyPid: Number(name) };
      }
    } catch {
      // gone or not ours
    }
  }
  throw new Error(`no session leader for ${id}`);
}
