// The real Claude Code CLI in a Smith session, against the local Messages server, reporting to a
// real Observer: structured events, usage and cost, the transcript, resume, and failure.
import { match, matchMainLoop, reply, startMessagesServer, type MessagesServer } from "@kayos/messages-server";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyResolver } from "../shared/api-key";
import { buildObserver } from "../observer/service";
import { client, createHarness, KEY_A, listen, waitFor, type Harness } from "./test-harness";

let h: Harness;
let messages: MessagesServer;
let observer: FastifyInstance;
let observerBase: string;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
  messages = await startMessagesServer();
  observer = await buildObserver({ logLevel: "silent", resolveCaller: createKeyResolver(h.db), databaseUrl: h.dbUrl });
  observerBase = await listen(observer);
  const { base } = await h.start({ ANTHROPIC_BASE_URL: messages.url, ANTHROPIC_API_KEY: "offline-key", CODINGOBSERVER_URL: observerBase });
  api = client(base);
}, 60_000);
afterAll(async () => {
  await observer.close();
  await messages.close();
  await h.close();
});

async function finished(id: string) {
  return waitFor(async () => {
    const s = await api.get(`/api/v1/sessions/${id}`);
    return s.body.status !== "running" ? s.body : undefined;
  }, 80_000, `claude session ${id}`);
}

describe("claude_code sessions", { timeout: 120_000 }, () => {
  it("runs the CLI headless, parses its events, keeps the transcript and hands everything to Observer", async () => {
    const file = path.join(h.config.WORKSPACE_ROOT, "org_a", "cc", "hello.txt");
    messages.script
      .when(match.all(matchMainLoop, match.not(match.hasToolResult())), reply.toolUse("Write", { file_path: file, content: "hi" }, { text: "Creating it." }))
      .when(match.all(matchMainLoop, match.hasToolResult("Write")), reply.text("Created hello.txt containing hi."));
    const created = await api.post("/api/v1/sessions/create", { workspace: "cc", agent_type: "claude_code", prompt: "create hello.txt containing hi" });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const done = await finished(id);
    expect(done).toMatchObject({ status: "exited", exit_code: 0, end_reason: "agent succeeded", agent_result: { is_error: false, result: "Created hello.txt containing hi." } });
    expect(fs.readFileSync(file, "utf8")).toBe("hi");
    const agentSessionId = done.agent_session_id as string;
    expect(agentSessionId).toMatch(/^[0-9a-f-]{36}$/);

    const events = (await api.get(`/api/v1/sessions/${id}/events`)).body.events as { type: string; [k: string]: unknown }[];
    expect(events.map((e) => e.type)).toEqual(["init", "assistant_text", "tool_call", "tool_result", "assistant_text", "result"]);
    expect(events[2]).toMatchObject({ type: "tool_call", name: "Write", input: { file_path: file, content: "hi" } });
    const result = events.at(-1)!;
    expect(result).toMatchObject({ is_error: false, agent_session_id: agentSessionId, num_turns: expect.any(Number), total_cost_usd: expect.any(Number) });
    expect((result.usage as { output_tokens: number }).output_tokens).toBeGreaterThan(0);

    // The transcript is kept with the session and imported by Observer.
    expect(fs.existsSync(path.join(h.config.SMITH_DATA_DIR, "sessions", id, "transcript.jsonl"))).toBe(true);
    await waitFor(async () => ((await h.db.smithSession.findUniqueOrThrow({ where: { id } })).settings as { transcript_reported?: boolean }).transcript_reported, 20_000, "transcript handed over");
    // Its usage counts under the Smith session (the run), not only under the CLI's own session id.
    const metrics = await fetch(`${observerBase}/api/v1/analytics/metrics/${id}`, { headers: { authorization: `Bearer ${KEY_A}` } });
    expect(metrics.status).toBe(200);
    const body = (await metrics.json()) as { usage: { output_tokens: number }; models: { calls: number }[] };
    expect(body.usage.output_tokens).toBe((result.usage as { output_tokens: number }).output_tokens);

    // Agent events and output lines reach Observer's logs under the Smith session, in org_a.
    const logs = await waitFor(async () => {
      const res = await fetch(`${observerBase}/api/v1/logs/session/${id}?limit=1000`, { headers: { authorization: `Bearer ${KEY_A}` } });
      const page = (await res.json()) as { entries: { source: string; attributes: Record<string, unknown> | null }[] };
      return page.entries.some((e) => e.source === "smith.agent" && e.attributes?.type === "result") && page.entries.some((e) => e.source === "smith.session" && /ended/.test(JSON.stringify(e))) ? page.entries : undefined;
    }, 20_000, "logs in Observer");
    const resultLog = logs.find((e) => e.source === "smith.agent" && e.attributes?.type === "result")!;
    expect(resultLog.attributes).toMatchObject({ is_error: false, usage: expect.any(Object) });
    expect(logs.some((e) => e.source === "smith.output")).toBe(true);
  });

  it("resumes an earlier run with its conversation", async () => {
    messages.script.clear().when(matchMainLoop, reply.text("first answer"));
    const first = (await api.post("/api/v1/sessions/create", { workspace: "cc2", agent_type: "claude_code", prompt: "remember the word PLUM" })).body.id as string;
    const one = await finished(first);
    messages.script.clear().when(matchMainLoop, reply.text("second answer"));
    const before = messages.requests.length;
    const second = (await api.post("/api/v1/sessions/create", { workspace: "cc2", agent_type: "claude_code", prompt: "which word?", resume: first })).body.id as string;
    const two = await finished(second);
    expect(two).toMatchObject({ exit_code: 0, agent_result: { is_error: false, result: "second answer" } });
    const resumed = messages.requests.slice(before).filter((r) => r.path === "/v1/messages");
    expect(JSON.stringify(resumed.at(-1)!.body)).toContain("remember the word PLUM");
    expect(one.agent_session_id).toBeTruthy();
  });

  it("counts a run as failed on is_error or a non-zero exit, whatever the subtype", async () => {
    messages.script.clear().always(matchMainLoop, reply.error(400, { type: "invalid_request_error", message: "scripted refusal" }));
    const id = (await api.post("/api/v1/sessions/create", { workspace: "cc3", agent_type: "claude_code", prompt: "fail please" })).body.id as string;
    const done = await finished(id);
    expect(done).toMatchObject({ status: "exited", end_reason: "agent failed" });
    expect(done.exit_code).not.toBe(0);
    expect(done.agent_result).toMatchObject({ is_error: true });
    messages.script.clear();
  });

  it("ends a run that stops printing (a hung model call) with the inactivity watchdog", async () => {
    const other = await h.start({ ANTHROPIC_BASE_URL: messages.url, ANTHROPIC_API_KEY: "k", SMITH_AGENT_INACTIVITY_MS: "2500" });
    const otherApi = client(other.base);
    messages.script.clear().when(matchMainLoop, reply.hang());
    const id = (await otherApi.post("/api/v1/sessions/create", { workspace: "cc5", agent_type: "claude_code", prompt: "hang" })).body.id as string;
    const done = await waitFor(async () => {
      const s = await otherApi.get(`/api/v1/sessions/${id}`);
      return s.body.status !== "running" ? s.body : undefined;
    }, 30_000, "watchdog");
    expect(done).toMatchObject({ status: "killed", end_reason: expect.stringMatching(/^watchdog: the agent printed nothing for 3 s/) });
    await h.stop(other.app);
  });

  it("says clearly when the CLI is missing", async () => {
    const other = await h.start({ CLAUDE_CODE_PATH: "/nonexistent/claude" });
    const res = await client(other.base).post("/api/v1/sessions/create", { workspace: "cc4", agent_type: "claude_code", prompt: "x" });
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/Claude Code CLI is not installed at \/nonexistent\/claude/);
    await h.stop(other.app);
  });
});
