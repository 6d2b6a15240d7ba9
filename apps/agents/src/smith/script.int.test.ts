// Sessions under real util-linux script(1) (SMITH_KEEPER=script): a terminal that outlives the Smith
// that started it, re-adopted by the next one with every byte, including sessions that ended
// while no Smith ran.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, processTree, sessionMarker } from "./services/process-tree";
import { client, commandLinesWith, createHarness, KEY_A, readSse, waitFor, type Harness } from "./test-harness";

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "script" });
});
afterAll(() => h.close());

const keeperPid = (id: string) => Number(fs.readFileSync(`${h.config.SMITH_DATA_DIR}/sessions/${id}/keeper.pid`, "utf8"));

const outputOf = async (base: string, id: string) => {
  const res = await fetch(`${base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
  const events = await readSse(res, (ev) => ev.some((e) => e.event === "end"), 20_000);
  return { text: events.filter((e) => e.event === "output").map((e) => (JSON.parse(e.data) as { data: string }).data).join(""), end: JSON.parse(events.find((e) => e.event === "end")!.data) as unknown };
};

describe("script-kept sessions", { timeout: 60_000 }, () => {
  it("runs execute, input, resize, stop and delete under script(1) with no processes left", async () => {
    const { app, base } = await h.start();
    const api = client(base);
    expect(((await (await fetch(`${base}/health`)).json()) as { details: { mode: string; mode_reason: string } }).details).toMatchObject({
      mode: "script",
      mode_reason: expect.stringContaining("survive a Smith restart"),
    });
    const id = (await api.post("/api/v1/sessions/create", { workspace: "s1", cols: 91, rows: 27 })).body.id as string;
    expect((await api.get(`/api/v1/sessions/${id}`)).body.mode).toBe("script");
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "echo in-script; (exit 9)" })).body).toMatchObject({ status: "completed", exit_code: 9, output: "in-script\n" });
    // The terminal has the size asked for at creation, and a resize reaches the program.
    expect((await api.post(`/api/v1/sessions/${id}/execute`, { command: "stty size" })).body.output).toBe("27 91\n");
    await api.post(`/api/v1/sessions/${id}/resize`, { cols: 100, rows: 40 });
    await waitFor(async () => (await api.post(`/api/v1/sessions/${id}/execute`, { command: "stty size" })).body.output === "40 100\n");
    const running = await api.post(`/api/v1/sessions/${id}/execute`, { command: "sleep 30", timeout_ms: 300 });
    expect(running.body.status).toBe("running");
    await api.post(`/api/v1/sessions/${id}/stop`);
    expect((await api.get(`/api/v1/sessions/${id}/executions/${running.body.execution_id}?wait_ms=5000`)).body).toMatchObject({ status: "completed", exit_code: 130 });
    await api.post(`/api/v1/sessions/${id}/execute`, { command: "sleep 300 & setsid sleep 301 & true" });
    const pids = processTree(keeperPid(id), sessionMarker(id));
    // script, the shell, sleep 300 and the setsid'd sleep 301 (found by its marker)
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect((await api.del(`/api/v1/sessions/${id}`)).body).toMatchObject({ status: "killed" });
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    await h.stop(app);
  });

  it("echoes what is typed, as a terminal does, and hands it to the program", async () => {
    const { app, base } = await h.start();
    const api = client(base);
    const id = (await api.post("/api/v1/sessions/create", { workspace: "s-echo", command: "cat" })).body.id as string;
    await api.post(`/api/v1/sessions/${id}/input`, { data: "typed-text\r" });
    const res = await fetch(`${base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const output = (ev: { event: string; data: string }[]) => ev.filter((e) => e.event === "output").map((e) => (JSON.parse(e.data) as { data: string }).data).join("");
    // The terminal's echo, then cat's copy.
    const events = await readSse(res, (ev) => output(ev).includes("typed-text\r\ntyped-text\r\n"), 10_000);
    expect(output(events)).toBe("typed-text\r\ntyped-text\r\n");
    await api.del(`/api/v1/sessions/${id}`);
    await h.stop(app);
  });

  it("gives the session its environment without putting it on any process's command line", async () => {
    const { app, base } = await h.start();
    const api = client(base);
    const secret = `s3cr3t-${process.pid}-${Date.now()}`;
    const id = (await api.post("/api/v1/sessions/create", { workspace: "s-env", command: 'echo "got:$KAYOS_SECRET"; sleep 30', env: { KAYOS_SECRET: secret } })).body.id as string;
    const res = await fetch(`${base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_A}` } });
    const events = await readSse(res, (ev) => ev.some((e) => e.event === "output" && e.data.includes(`got:${secret}`)), 10_000);
    expect(events.map((e) => e.data).join("")).toContain(`got:${secret}`);
    expect(commandLinesWith(secret)).toEqual([]);
    await api.del(`/api/v1/sessions/${id}`);
    await h.stop(app);
  });

  it("survives a Smith restart: re-adopted with every byte, and a session that ended meanwhile keeps its exit code", async () => {
    const first = await h.start();
    const api1 = client(first.base);
    const ticking = (await api1.post("/api/v1/sessions/create", { workspace: "s2", command: "for i in $(seq 1 60); do echo tick-$i; sleep 0.05; done; exit 4" })).body.id as string;
    const shortLived = (await api1.post("/api/v1/sessions/create", { workspace: "s2", command: "sleep 0.5; echo done-while-away; exit 7" })).body.id as string;
    await waitFor(async () => ((await api1.get(`/api/v1/sessions/${ticking}`)).body.output_bytes as number) > 0);
    await h.stop(first.app);
    // While no Smith runs, one session goes on printing into its log and the other ends.
    await new Promise((r) => setTimeout(r, 1200));
    const second = await h.start();
    const api2 = client(second.base);
    expect((await api2.get(`/api/v1/sessions/${ticking}`)).body).toMatchObject({ status: "running", mode: "script" });
    const ticks = await outputOf(second.base, ticking);
    expect(ticks.text.split(/\r?\n/).filter((l) => l.startsWith("tick-"))).toEqual(Array.from({ length: 60 }, (_, i) => `tick-${i + 1}`));
    expect(ticks.end).toMatchObject({ status: "exited", exit_code: 4 });
    const row = await h.db.smithSession.findUniqueOrThrow({ where: { id: ticking } });
    expect(ticks.text).toBe(fs.readFileSync(row.outputPath, "utf8"));
    const ended = await outputOf(second.base, shortLived);
    expect(ended.text).toContain("done-while-away");
    expect(ended.end).toMatchObject({ status: "exited", exit_code: 7 });
    await h.stop(second.app);
  });
});
