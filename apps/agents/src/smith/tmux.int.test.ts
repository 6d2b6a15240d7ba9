// Sessions under real tmux: they outlive the Smith that started them and are re-adopted, output
// intact, by the next one; PTY sessions are marked lost with their output kept.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, processTree, sessionMarker } from "./services/process-tree";
import { Tmux } from "./services/tmux";
import { client, commandLinesWith, createHarness, KEY_A, readSse, waitFor, type Harness } from "./test-harness";

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "tmux" });
});
afterAll(() => h.close());

const panePid = async (id: string) => {
  const panes = await new Tmux("/usr/bin/tmux", h.config.TMUX_SOCKET_PATH, { PATH: process.env.PATH! }).panes();
  return panes.find((p) => p.session === `smith-${id}`);
};

describe("tmux-kept sessions", { timeout: 60_000 }, () => {
  it("runs execute, stop and delete under tmux with no processes left", async () => {
    const { app, base } = await h.start();
    const api = client(base);
    expect(((await (await fetch(`${base}/health`)).json()) as { details: { mode: string } }).details.mode).toBe("tmux");
    const cr = await api.post("/api/v1/sessions/create", { workspace: "t1" });
    const id = cr.body.id as string;
    expect((await api.get(`/api/v1/sessions/${id}`)).body.mode).toBe("tmux");
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "echo in-tmux; (exit 9)" })).body).toMatchObject({ status: "completed", exit_code: 9, output: "in-tmux\n" });
    const running = await api.post(`/api/v1/sessions/${id}/execute`, { command: "sleep 30", timeout_ms: 300 });
    expect(running.body.status).toBe("running");
    await api.post(`/api/v1/sessions/${id}/stop`);
    expect((await api.get(`/api/v1/sessions/${id}/executions/${running.body.execution_id}?wait_ms=5000`)).body).toMatchObject({ status: "completed", exit_code: 130 });
    await api.post(`/api/v1/sessions/${id}/execute`, { command: "sleep 300 & setsid sleep 301 & true" });
    const pane = await panePid(id);
    const pids = processTree(pane!.pid, sessionMarker(id));
    // bash, sleep 300 and the setsid'd sleep 301 (re-parented to init, found by its marker)
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect((await api.del(`/api/v1/sessions/${id}`)).body).toMatchObject({ status: "killed" });
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(await panePid(id)).toBeUndefined();
    await h.stop(app);
  });

  it("gives the session its environment without putting it on any process's command line", async () => {
    // This session starts the tmux server: a server keeps the command line of the client that started it.
    await new Tmux("/usr/bin/tmux", h.config.TMUX_SOCKET_PATH, { PATH: process.env.PATH! }).run(["kill-server"]).catch(() => undefined);
    const { app, base } = await h.start();
    const api = client(base);
    const secret = `s3cr3t-${process.pid}-${Date.now()}`;
    const id = (await api.post("/api/v1/sessions/create", { workspace: "t-env", command: 'echo "got:$KAYOS_SECRET"; sleep 30', env: { KAYOS_SECRET: secret } })).body.id as string;
    await waitFor(async () => ((await api.get(`/api/v1/sessions/${id}`)).body.output_bytes as number) > 0);
    const res = await fetch(`${base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const events = await readSse(res, (ev) => ev.some((e) => e.event === "output" && e.data.includes(`got:${secret}`)), 10_000);
    expect(events.map((e) => e.data).join("")).toContain(`got:${secret}`);
    expect(commandLinesWith(secret)).toEqual([]);
    expect(fs.readdirSync(`${h.config.SMITH_DATA_DIR}/sessions/${id}`)).not.toContain("env");
    await api.del(`/api/v1/sessions/${id}`);
    await h.stop(app);
  });

  it("survives a Smith restart: re-adopted with every byte, including what was printed while Smith was down", async () => {
    const first = await h.start();
    const api1 = client(first.base);
    const id = (await api1.post("/api/v1/sessions/create", { workspace: "t2", command: "for i in $(seq 1 60); do echo tick-$i; sleep 0.05; done; exit 4" })).body.id as string;
    const pty = (await api1.post("/api/v1/sessions/create", { workspace: "t2" })).body.id as string;
    await waitFor(async () => ((await api1.get(`/api/v1/sessions/${id}`)).body.output_bytes as number) > 0);
    await h.stop(first.app);
    // While no Smith runs, the session goes on printing into its log.
    await new Promise((r) => setTimeout(r, 1200));
    const second = await h.start();
    const api2 = client(second.base);
    const adopted = (await api2.get(`/api/v1/sessions/${id}`)).body;
    expect(adopted).toMatchObject({ status: "running", mode: "tmux" });
    const res = await fetch(`${second.base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const events = await readSse(res, (ev) => ev.some((e) => e.event === "end"), 20_000);
    const text = events.filter((e) => e.event === "output").map((e) => (JSON.parse(e.data) as { data: string }).data).join("");
    const lines = text.split(/\r?\n/).filter((l) => l.startsWith("tick-"));
    expect(lines).toEqual(Array.from({ length: 60 }, (_, i) => `tick-${i + 1}`));
    expect(JSON.parse(events.find((e) => e.event === "end")!.data)).toMatchObject({ status: "exited", exit_code: 4 });
    const row = await h.db.smithSession.findUniqueOrThrow({ where: { id } });
    expect(text).toBe(fs.readFileSync(row.outputPath, "utf8"));
    // The second session (a shell) was also under tmux, so it was re-adopted too.
    expect((await api2.get(`/api/v1/sessions/${pty}`)).body.status).toBe("running");
    await api2.del(`/api/v1/sessions/${pty}`);
    await h.stop(second.app);
  });

  it("marks PTY sessions lost when their Smith stops, keeping their output readable", async () => {
    const first = await h.start({ SMITH_KEEPER: "pty" });
    const api1 = client(first.base);
    const id = (await api1.post("/api/v1/sessions/create", { workspace: "t3", command: "echo kept-output; sleep 60" })).body.id as string;
    await waitFor(async () => ((await api1.get(`/api/v1/sessions/${id}`)).body.output_bytes as number) > 0);
    await h.stop(first.app);
    const second = await h.start();
    const api2 = client(second.base);
    const s = (await api2.get(`/api/v1/sessions/${id}`)).body;
    expect(s).toMatchObject({ status: "lost", mode: "pty", end_reason: expect.stringContaining("output kept") });
    const res = await fetch(`${second.base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const events = await readSse(res, (ev) => ev.some((e) => e.event === "end"));
    expect(events.filter((e) => e.event === "output").map((e) => (JSON.parse(e.data) as { data: string }).data).join("")).toContain("kept-output");
    expect((await api2.post(`/api/v1/sessions/${id}/execute`, { command: "true" })).status).toBe(409);
    await h.stop(second.app);
  });
});
