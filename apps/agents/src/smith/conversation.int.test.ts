// Conversations with the real Claude Code CLI (its stream-json input mode) against the local
// Messages server: follow-up messages, permission approvals, interrupting a turn, ending the input.
import { match, matchMainLoop, reply, startMessagesServer, type MessagesServer } from "@kayos/messages-server";
import type { SmithAgentEvent, SmithApproval } from "@kayos/contracts";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { isAlive, processTree, sessionMarker } from "./services/process-tree";
import { client, createHarness, waitFor, type Harness } from "./test-harness";

let h: Harness;
let messages: MessagesServer;
let api: ReturnType<typeof client>;
let smith: FastifyInstance;

async function startSmith() {
  const started = await h.start({ ANTHROPIC_BASE_URL: messages.url, ANTHROPIC_API_KEY: "offline-key" });
  smith = started.app;
  api = client(started.base);
}

const events = async (id: string) => (await api.get(`/api/v1/sessions/${id}/events`)).body.events as SmithAgentEvent[];
const results = (list: SmithAgentEvent[]) => list.filter((e) => e.type === "result");
const untilEvents = (id: string, what: string, ok: (list: SmithAgentEvent[]) => boolean) =>
  waitFor(async () => {
    const list = await events(id);
    return ok(list) ? list : undefined;
  }, 60_000, what);
const ended = (id: string) =>
  waitFor(async () => {
    const s = await api.get(`/api/v1/sessions/${id}`);
    return s.body.status !== "running" ? s.body : undefined;
  }, 60_000, `session ${id} ended`);

async function conversation(workspace: string, prompt: string, extra: Record<string, unknown> = {}) {
  const created = await api.post("/api/v1/sessions/create", { workspace, agent_type: "claude_code", prompt, conversation: true, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

// Under both keepers that outlive Smith (script is what SMITH_KEEPER=auto picks).
describe.each(["script", "tmux"] as const)("claude_code conversations under %s", { timeout: 150_000 }, (keeper) => {
  beforeAll(async () => {
    h = await createHarness({ SMITH_KEEPER: keeper });
    messages = await startMessagesServer();
    await startSmith();
  }, 60_000);
  afterAll(async () => {
    await messages.close();
    await h.close();
  });

  it("takes follow-up messages in one CLI process, across a Smith restart, and ends with the agent's result when its input ends", async () => {
    messages.script
      .clear()
      .when(match.all(matchMainLoop, match.lastUserText(/first question/)), reply.text("First answer."))
      .when(match.all(matchMainLoop, match.lastUserText(/second question/)), reply.text("Second answer."));
    const id = await conversation("conv1", "first question");
    await untilEvents(id, "first turn", (list) => results(list).length === 1);
    // Between turns the session waits for the next message, still running; a new Smith takes it over.
    expect((await api.get(`/api/v1/sessions/${id}`)).body.status).toBe("running");
    await h.stop(smith);
    await startSmith();
    expect((await api.get(`/api/v1/sessions/${id}`)).body.status).toBe("running");

    const sent = await api.post(`/api/v1/sessions/${id}/messages`, { text: "second question" });
    expect(sent.status).toBe(202);
    const list = await untilEvents(id, "second turn", (l) => results(l).length === 2);
    expect(list.filter((e) => e.type === "user_message").map((e) => e.type === "user_message" && e.text)).toEqual(["first question", "second question"]);
    expect(list.filter((e) => e.type === "assistant_text").map((e) => e.type === "assistant_text" && e.text)).toEqual(["First answer.", "Second answer."]);
    // One CLI session carried both turns: the second request holds the first exchange.
    const loop = messages.requests.filter((r) => r.path === "/v1/messages" && JSON.stringify(r.body).includes("second question"));
    expect(JSON.stringify(loop.at(-1)!.body)).toContain("First answer.");

    // By the session's marker: the launch script's shell, sed reading the pipe, and the CLI.
    const pids = processTree(-1, sessionMarker(id));
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect((await api.post(`/api/v1/sessions/${id}/end`, {})).status).toBe(202);
    const done = await ended(id);
    expect(done).toMatchObject({ status: "exited", exit_code: 0, end_reason: "agent succeeded", agent_result: { is_error: false, result: "Second answer." } });
    // The input reader went with the CLI: nothing of the session is left.
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    const late = await api.post(`/api/v1/sessions/${id}/messages`, { text: "too late" });
    expect(late.status).toBe(409);
  });

  it("asks before each tool use with approvals: ask; an allowed Write runs, a denied one does not and the agent is told why", async () => {
    const ws = path.join(h.config.WORKSPACE_ROOT, "org_a", "conv2");
    const allowed = path.join(ws, "allowed.txt");
    const denied = path.join(ws, "denied.txt");
    messages.script
      .clear()
      .when(match.all(matchMainLoop, match.lastUserText(/write allowed/)), reply.toolUse("Write", { file_path: allowed, content: "yes" }))
      .when(match.all(matchMainLoop, match.hasToolResult("Write"), match.lastUserText(/write allowed/)), reply.text("Wrote it."))
      .when(match.all(matchMainLoop, match.lastUserText(/write denied/)), reply.toolUse("Write", { file_path: denied, content: "no" }))
      .when(match.all(matchMainLoop, match.hasToolResult("Write"), match.lastUserText(/write denied/)), reply.text("I was not allowed to."));
    const created = await api.post("/api/v1/sessions/create", { workspace: "conv2", agent_type: "claude_code", prompt: "write allowed", approvals: "ask", conversation: true });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const asked = await waitFor(async () => {
      const a = (await api.get(`/api/v1/sessions/${id}/approvals`)).body.approvals as SmithApproval[];
      return a.length === 1 ? a[0] : undefined;
    }, 60_000, "permission request");
    expect(asked).toMatchObject({ tool: "Write", input: { file_path: allowed, content: "yes" }, decision: null });
    expect(fs.existsSync(allowed)).toBe(false);

    expect((await api.post(`/api/v1/sessions/${id}/approvals/nope`, { behavior: "allow" })).status).toBe(404);
    expect((await api.post(`/api/v1/sessions/${id}/approvals/${asked.request_id}`, { behavior: "maybe" })).status).toBe(400);
    // Two answers at once: one is taken, the other is told it came too late.
    const [decided, racing] = await Promise.all([
      api.post(`/api/v1/sessions/${id}/approvals/${asked.request_id}`, { behavior: "allow" }),
      api.post(`/api/v1/sessions/${id}/approvals/${asked.request_id}`, { behavior: "deny" }),
    ]);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ pending_approvals: 0 });
    expect(racing.status).toBe(409);
    await untilEvents(id, "allowed turn", (l) => results(l).length === 1);
    expect(fs.readFileSync(allowed, "utf8")).toBe("yes");
    const again = await api.post(`/api/v1/sessions/${id}/approvals/${asked.request_id}`, { behavior: "deny" });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already decided (allow)");

    await api.post(`/api/v1/sessions/${id}/messages`, { text: "write denied" });
    const second = await waitFor(async () => {
      const a = (await api.get(`/api/v1/sessions/${id}/approvals`)).body.approvals as SmithApproval[];
      return a.find((x) => x.decision === null);
    }, 60_000, "second permission request");
    await api.post(`/api/v1/sessions/${id}/approvals/${second.request_id}`, { behavior: "deny", message: "Not in this folder." });
    const list = await untilEvents(id, "denied turn", (l) => results(l).length === 2);
    expect(fs.existsSync(denied)).toBe(false);
    const refusal = list.filter((e) => e.type === "tool_result").at(-1);
    expect(refusal).toMatchObject({ is_error: true, content: expect.stringContaining("Not in this folder.") });
    expect(((await api.get(`/api/v1/sessions/${id}/approvals`)).body.approvals as SmithApproval[]).map((a) => a.decision)).toEqual(["allow", "deny"]);
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("a one-shot run with approvals: ask ends with its result once the tool use is allowed", async () => {
    const file = path.join(h.config.WORKSPACE_ROOT, "org_a", "conv5", "once.txt");
    messages.script
      .clear()
      .when(match.all(matchMainLoop, match.not(match.hasToolResult())), reply.toolUse("Write", { file_path: file, content: "once" }))
      .when(match.all(matchMainLoop, match.hasToolResult("Write")), reply.text("Done."));
    const id = (await api.post("/api/v1/sessions/create", { workspace: "conv5", agent_type: "claude_code", prompt: "write once", approvals: "ask" })).body.id as string;
    const asked = await waitFor(async () => ((await api.get(`/api/v1/sessions/${id}/approvals`)).body.approvals as SmithApproval[])[0], 60_000, "permission request");
    await api.post(`/api/v1/sessions/${id}/approvals/${asked.request_id}`, { behavior: "allow" });
    expect(await ended(id)).toMatchObject({ status: "exited", exit_code: 0, end_reason: "agent succeeded", agent_result: { result: "Done." } });
    expect(fs.readFileSync(file, "utf8")).toBe("once");
  });

  it("stop interrupts the current turn and the conversation goes on", async () => {
    messages.script
      .clear()
      .when(match.all(matchMainLoop, match.lastUserText(/tell me a long story/)), reply.text("Once upon a time ".repeat(400), { stream: { chunkChars: 4, deltaDelayMs: 25 } }))
      .when(match.all(matchMainLoop, match.lastUserText(/short one/)), reply.text("The end."));
    const id = await conversation("conv3", "tell me a long story");
    await waitFor(() => messages.requests.some((r) => r.path === "/v1/messages" && JSON.stringify(r.body).includes("tell me a long story")), 60_000, "the model call");
    const started = Date.now();
    expect((await api.post(`/api/v1/sessions/${id}/stop`, {})).status).toBe(200);
    await untilEvents(id, "interrupted turn", (l) => results(l).length === 1);
    // The reply would have streamed for 40 s.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await api.get(`/api/v1/sessions/${id}`)).body.status).toBe("running");
    await api.post(`/api/v1/sessions/${id}/messages`, { text: "a short one then" });
    const list = await untilEvents(id, "next turn", (l) => results(l).length === 2);
    expect(list.at(-2)).toMatchObject({ type: "assistant_text", text: "The end." });
    await api.del(`/api/v1/sessions/${id}`);
  });

  it("refuses what a conversation cannot take", async () => {
    messages.script.clear().when(matchMainLoop, reply.text("one-shot answer"));
    const noPrompt = await api.post("/api/v1/sessions/create", { workspace: "conv4", agent_type: "claude_code", conversation: true });
    expect(noPrompt.status).toBe(400);
    expect(noPrompt.body.message).toContain("starts with a prompt");
    const shell = (await api.post("/api/v1/sessions/create", { workspace: "conv4", command: "sleep 30" })).body.id as string;
    const notConversation = await api.post(`/api/v1/sessions/${shell}/messages`, { text: "hello" });
    expect(notConversation.status).toBe(409);
    expect(notConversation.body.message).toContain("is not a conversation");
    expect((await api.post(`/api/v1/sessions/${shell}/messages`, { text: "  " })).status).toBe(400);
    expect((await api.post("/api/v1/sessions/nope/messages", { text: "hello" })).status).toBe(404);
    await api.del(`/api/v1/sessions/${shell}`);
  });
});
