import type { ConversationView, ErrorBody, ExecuteResponse, ExecutionView } from "@kayos/contracts";
import { reply } from "@kayos/messages-server";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_A, KEY_B, startNexus, tokensOf } from "./test-harness";

let nx: Awaited<ReturnType<typeof startNexus>>;
beforeAll(async () => {
  nx = await startNexus();
});
afterAll(async () => {
  await nx?.stop();
});

const execute = (body: Record<string, unknown>, key = KEY_A) => nx.call<ExecuteResponse>("POST", "/api/v1/agents/execute", { body, key });
const LONG = "The quick brown fox jumps over the lazy dog while the band plays on. ".repeat(4);

describe("claude-conversational", () => {
  it("answers the seed's curl as written, streams the reply token by token and records result, usage and timings", async () => {
    nx.messages.script.push(reply.text("I'm well, thank you for asking!", { usage: { inputTokens: 12, outputTokens: 9, cacheReadInputTokens: 100 } }));
    const { stdout } = await promisify(execFile)("curl", [
      "-s", "-X", "POST", `${nx.base}/api/v1/agents/execute`,
      "-H", "Content-Type: application/json",
      "-H", `Authorization: Bearer ${KEY_A}`,
      "-d", '{"agent_type": "claude-conversational", "prompt": "Hello, how are you?"}',
    ]);
    const started = JSON.parse(stdout) as ExecuteResponse;
    expect(started).toMatchObject({ status: "running", stream_url: `/api/v1/agents/${started.id}/stream`, offline: true });
    expect(started.conversation_id).toMatch(/^conv_/);

    const s = await nx.stream(started.stream_url);
    expect(s.headers.get("content-type")).toContain("text/event-stream");
    expect(s.events.map((e) => e.id)).toEqual(s.events.map((_, i) => i + 1));
    expect(s.events.filter((e) => e.event === "token").length).toBeGreaterThan(1);
    expect(tokensOf(s.events)).toBe("I'm well, thank you for asking!");
    expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded", error: null } });

    const view = (await nx.call<ExecutionView>("GET", `/api/v1/agents/${started.id}`)).body;
    expect(view).toMatchObject({
      status: "succeeded",
      agent_type: "claude-conversational",
      model: "claude-sonnet-4-6",
      result: { text: "I'm well, thank you for asking!", stop_reason: "end_turn" },
      usage: { input_tokens: 12, output_tokens: 9, cache_read_tokens: 100, model_calls: 1, unpriced_models: [] },
      offline: true,
    });
    expect(view.usage.cost_usd).toBeGreaterThan(0);
    expect(view.timings.ttft_ms).toEqual(expect.any(Number));
    expect(view.timings.duration_ms).toEqual(expect.any(Number));
    const request = nx.messages.requests.filter((r) => r.path === "/v1/messages").at(-1)!;
    expect(request.body).toMatchObject({ model: "claude-sonnet-4-6", stream: true, messages: [{ role: "user", content: "Hello, how are you?" }] });

    const status = await nx.call("GET", `/api/v1/agents/status/${started.id}`);
    expect(status.body).toMatchObject({ id: started.id, execution_id: started.id, status: "succeeded", error: null });
  });

  it("streams the execution from the execute call itself when asked with Accept: text/event-stream", async () => {
    nx.messages.script.push(reply.text("Right away."));
    const s = await nx.stream("/api/v1/agents/execute", {
      method: "POST",
      accept: "text/event-stream",
      body: { agent_type: "claude-conversational", prompt: "Quick" },
    });
    const id = s.headers.get("x-execution-id")!;
    expect(id).toMatch(/^exe_/);
    expect(tokensOf(s.events)).toBe("Right away.");
    expect(s.events.at(-1)?.data.status).toBe("succeeded");
    expect((await nx.call<ExecutionView>("GET", `/api/v1/agents/${id}`)).body.status).toBe("succeeded");
  });

  it("names a model the price table lacks instead of calling its calls free", async () => {
    nx.messages.script.push(reply.text("Hi.", { usage: { inputTokens: 1000, outputTokens: 500 } }));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "Hi", model: "claude-nova-9" })).body;
    const s = await nx.stream(started.stream_url);
    expect(s.events.at(-1)?.data.status).toBe("succeeded");
    const view = (await nx.call<ExecutionView>("GET", `/api/v1/agents/${started.id}`)).body;
    expect(view.usage).toMatchObject({ input_tokens: 1000, output_tokens: 500, cost_usd: 0, unpriced_models: ["claude-nova-9"] });
  });

  it("takes an agent's instructions from context.system as its system prompt, the rest of the context as data", async () => {
    nx.messages.script.push(reply.text("Arr."), reply.text("Plain."));
    const withBoth = (await execute({ agent_type: "claude-conversational", prompt: "Hello", context: { system: "Talk like a pirate.", order: "1234" } })).body;
    await nx.stream(withBoth.stream_url);
    expect(nx.messages.requests.at(-1)!.body).toMatchObject({ system: 'Talk like a pirate.\n\nContext (JSON): {"order":"1234"}', messages: [{ role: "user", content: "Hello" }] });
    // A `system` that is not text is the caller's data like the rest.
    const odd = (await execute({ agent_type: "claude-conversational", prompt: "Hello", context: { system: { level: 2 } } })).body;
    await nx.stream(odd.stream_url);
    expect((nx.messages.requests.at(-1)!.body as { system: string }).system).toBe('Context (JSON): {"system":{"level":2}}');
  });

  it("carries the stored history into the next turn of a conversation", async () => {
    const created = await nx.call<ConversationView>("POST", "/api/v1/conversations", { body: { system: "Be brief.", title: "math" } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    nx.messages.script.push(reply.text("4."), reply.text("8."));
    const first = await nx.stream(`/api/v1/conversations/${id}/message`, { method: "POST", body: { content: "2+2?" } });
    expect(first.headers.get("x-execution-id")).toMatch(/^exe_/);
    expect(tokensOf(first.events)).toBe("4.");
    const second = await nx.stream(`/api/v1/conversations/${id}/message`, { method: "POST", body: { content: "Double it." } });
    expect(tokensOf(second.events)).toBe("8.");

    const last = nx.messages.requests.filter((r) => r.path === "/v1/messages").at(-1)!;
    expect(last.body).toMatchObject({
      system: "Be brief.",
      messages: [
        { role: "user", content: "2+2?" },
        { role: "assistant", content: "4." },
        { role: "user", content: "Double it." },
      ],
    });
    const history = (await nx.call<ConversationView>("GET", `/api/v1/conversations/${id}`)).body;
    expect(history.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "2+2?"],
      ["assistant", "4."],
      ["user", "Double it."],
      ["assistant", "8."],
    ]);
    // execute with conversation_id continues the same conversation
    nx.messages.script.push(reply.text("16."));
    const third = await execute({ agent_type: "claude-conversational", prompt: "Again.", conversation_id: id });
    expect(third.body.conversation_id).toBe(id);
    expect(tokensOf((await nx.stream(third.body.stream_url)).events)).toBe("16.");
  });

  it("resumes a stream by Last-Event-ID without loss or repeats, while running and after it finished; a disconnect does not stop the run", async () => {
    nx.messages.script.push(reply.text(LONG, { stream: { chunkChars: 8, deltaDelayMs: 15 } }));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "Tell me a long one" })).body;
    const head = await nx.stream(started.stream_url, { stopAfter: 4 });
    expect(head.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const lastSeen = head.events.at(-1)!.id;

    const rest = await nx.stream(started.stream_url, { lastEventId: lastSeen });
    expect(rest.events[0]!.id).toBe(lastSeen + 1);
    const all = [...head.events, ...rest.events];
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(tokensOf(all)).toBe(LONG);
    expect(all.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });

    // After the end, from the table, by header and by ?last_event_id=.
    const replay = await nx.stream(started.stream_url, { lastEventId: 2 });
    expect(replay.events.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
    const byQuery = await nx.stream(`${started.stream_url}?last_event_id=${all.length - 1}`);
    expect(byQuery.events).toEqual([all.at(-1)]);
    expect((await nx.stream(started.stream_url)).events).toEqual(all);
  });

  it("goes on after the client disconnects and can be followed again", async () => {
    nx.messages.script.push(reply.text(LONG, { stream: { chunkChars: 10, deltaDelayMs: 10 } }));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "Go" })).body;
    await nx.stream(started.stream_url, { stopAfter: 2 });
    const rest = await nx.stream(started.stream_url, { lastEventId: 2 });
    expect(rest.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });
    expect((await nx.call<ExecutionView>("GET", `/api/v1/agents/${started.id}`)).body.result).toMatchObject({ text: LONG });
  });

  it("is streamed by a second Nexus process on the same database, by polling the table, which leaves the first one's run alone", async () => {
    const other = await nx.another();
    try {
      nx.messages.script.push(reply.text(LONG, { stream: { chunkChars: 8, deltaDelayMs: 15 } }));
      const started = (await execute({ agent_type: "claude-conversational", prompt: "Across processes" })).body;
      const s = await nx.stream(started.stream_url, {}, other.base);
      expect(s.events.map((e) => e.id)).toEqual(s.events.map((_, i) => i + 1));
      expect(tokensOf(s.events)).toBe(LONG);
      expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });
      const res = await fetch(`${other.base}/api/v1/agents/${started.id}`, { headers: { authorization: `Bearer ${KEY_A}` } });
      expect(((await res.json()) as ExecutionView).status).toBe("succeeded");
    } finally {
      await other.close();
    }
  });

  it("stops a running execution (the model call is cancelled) and answers 409 with the status on a finished one", async () => {
    nx.messages.script.push(reply.text(LONG.repeat(3), { stream: { chunkChars: 4, deltaDelayMs: 40 } }));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "Slow" })).body;
    const head = await nx.stream(started.stream_url, { stopAfter: 3 });
    expect(head.events.some((e) => e.event === "token")).toBe(true);
    const stopped = await nx.call<ExecutionView>("POST", `/api/v1/agents/${started.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
    const s = await nx.stream(started.stream_url);
    expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "stopped", error: null } });
    expect(tokensOf(s.events).length).toBeLessThan(LONG.length * 3);
    // The call was cut short, not free: what it had used by then is counted.
    const view = (await nx.call<ExecutionView>("GET", `/api/v1/agents/${started.id}`)).body;
    expect(view.usage.model_calls).toBe(1);
    expect(view.usage.input_tokens).toBeGreaterThan(0);
    // What was shown of the reply stays in the conversation, and the next turn carries it.
    const conversation = (await nx.call<ConversationView>("GET", `/api/v1/conversations/${started.conversation_id}`)).body;
    expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "Slow"],
      ["assistant", tokensOf(s.events)],
    ]);
    nx.messages.script.push(reply.text("Continuing."));
    const next = (await execute({ agent_type: "claude-conversational", prompt: "Go on", conversation_id: started.conversation_id })).body;
    expect((await nx.stream(next.stream_url)).events.at(-1)?.data.status).toBe("succeeded");
    const request = nx.messages.requests.filter((r) => r.path === "/v1/messages").at(-1)!;
    expect(request.body).toMatchObject({ messages: [{ role: "user", content: "Slow" }, { role: "assistant", content: tokensOf(s.events) }, { role: "user", content: "Go on" }] });

    const again = await nx.call<ErrorBody>("POST", `/api/v1/agents/${started.id}/stop`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already finished with status stopped");
  });

  it("a stop sent to another Nexus process ends the run there and here at once, not at the next heartbeat", async () => {
    const other = await nx.another();
    try {
      nx.messages.script.push(reply.text(LONG.repeat(3), { stream: { chunkChars: 4, deltaDelayMs: 40 } }));
      const started = (await execute({ agent_type: "claude-conversational", prompt: "Slow, across processes" })).body;
      await nx.stream(started.stream_url, { stopAfter: 3 });
      const res = await fetch(`${other.base}/api/v1/agents/${started.id}/stop`, { method: "POST", headers: { authorization: `Bearer ${KEY_A}` } });
      expect(((await res.json()) as ExecutionView).status).toBe("stopped");
      // The first process cancels its model call within moments (its heartbeat would take up to 10 s).
      const deadline = Date.now() + 3000;
      let running = 1;
      while (running > 0 && Date.now() < deadline) {
        running = ((await (await fetch(`${nx.base}/health`)).json()) as { details: { executions_running: number } }).details.executions_running;
        if (running > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(running).toBe(0);
      const s = await nx.stream(started.stream_url);
      // One writer per run: the process that ran it closes its stream, with no gap and no second `done`.
      expect(s.events.map((e) => e.id)).toEqual(s.events.map((_, i) => i + 1));
      expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "stopped", error: null } });
      expect(s.events.filter((e) => e.event === "done")).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("retries 429 (honouring retry-after) and 529 through the SDK, then succeeds", async () => {
    const before = nx.messages.requests.length;
    nx.messages.script.push(reply.rateLimited(0.05), reply.overloaded(), reply.text("made it"));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "retry please" })).body;
    const s = await nx.stream(started.stream_url);
    expect(tokensOf(s.events)).toBe("made it");
    expect(s.events.at(-1)?.data.status).toBe("succeeded");
    expect(nx.messages.requests.slice(before).map((r) => r.status)).toEqual([429, 529, 200]);
  });

  it("fails the execution with the model's own message and says so in the stream (API error and mid-stream failure)", async () => {
    nx.messages.script.push(reply.error(400, { message: "messages.0.content: too spicy" }));
    const bad = (await execute({ agent_type: "claude-conversational", prompt: "x" })).body;
    const s = await nx.stream(bad.stream_url);
    const errorEvent = s.events.find((e) => e.event === "error");
    expect(errorEvent?.data.message).toContain("messages.0.content: too spicy");
    expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "failed" } });
    const view = (await nx.call<ExecutionView>("GET", `/api/v1/agents/${bad.id}`)).body;
    expect(view.status).toBe("failed");
    expect(view.error).toContain("too spicy");

    nx.messages.script.push(reply.failMidStream("partial answer here", 2, { type: "api_error", message: "backend went away" }));
    const mid = (await execute({ agent_type: "claude-conversational", prompt: "y" })).body;
    const m = await nx.stream(mid.stream_url);
    expect(m.events.find((e) => e.event === "error")?.data.message).toContain("backend went away");
    expect(m.events.at(-1)?.data.status).toBe("failed");
  });
});

describe("bad input", () => {
  it("lists the valid agent types for an unknown one", async () => {
    const res = await execute({ agent_type: "wizard", prompt: "hi" });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).message).toMatch(/Unknown agent_type "wizard"; valid types: .*claude-conversational.*kaygraph/);
  });

  it("refuses an empty prompt (400) and an oversized one (413 naming the limit)", async () => {
    const empty = await execute({ agent_type: "claude-conversational", prompt: "   " });
    expect(empty.status).toBe(400);
    expect((empty.body as unknown as ErrorBody).message).toContain("prompt is empty");
    const missing = await execute({ agent_type: "claude-conversational" });
    expect(missing.status).toBe(400);
    const big = await execute({ agent_type: "claude-conversational", prompt: "x".repeat(2001) });
    expect(big.status).toBe(413);
    expect((big.body as unknown as ErrorBody).message).toBe("prompt is 2001 characters; the limit is 2000 (NEXUS_MAX_PROMPT_CHARS)");
    const bigMessage = await nx.call("POST", `/api/v1/conversations/${(await nx.call<ConversationView>("POST", "/api/v1/conversations", { body: {} })).body.id}/message`, {
      body: { content: "y".repeat(5000) },
    });
    expect(bigMessage.status).toBe(413);
  });

  it("answers 404 for unknown execution and conversation ids, and for another organization's", async () => {
    for (const [method, p] of [
      ["GET", "/api/v1/agents/exe_nope"],
      ["GET", "/api/v1/agents/status/exe_nope"],
      ["GET", "/api/v1/agents/exe_nope/stream"],
      ["POST", "/api/v1/agents/exe_nope/stop"],
      ["GET", "/api/v1/conversations/conv_nope"],
    ] as const) {
      const res = await nx.call<ErrorBody>(method, p);
      expect(res.status, `${method} ${p}`).toBe(404);
      expect(res.body.message).toMatch(/No (execution|conversation) \w+_nope/);
    }
    expect((await nx.call("POST", "/api/v1/conversations/conv_nope/message", { body: { content: "hi" } })).status).toBe(404);
    expect((await execute({ agent_type: "claude-conversational", prompt: "hi", conversation_id: "conv_nope" })).status).toBe(404);

    nx.messages.script.push(reply.text("mine"));
    const mine = (await execute({ agent_type: "claude-conversational", prompt: "secret" })).body;
    await nx.stream(mine.stream_url);
    expect((await nx.call("GET", `/api/v1/agents/${mine.id}`, { key: KEY_B })).status).toBe(404);
    expect((await nx.call("GET", `/api/v1/agents/${mine.id}/stream`, { key: KEY_B })).status).toBe(404);
    expect((await nx.call("GET", `/api/v1/conversations/${mine.conversation_id}`, { key: KEY_B })).status).toBe(404);
  });

  it("refuses a malformed Last-Event-ID and malformed bodies with the field named", async () => {
    nx.messages.script.push(reply.text("ok"));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "hi" })).body;
    const s = await nx.stream(started.stream_url, { lastEventId: "abc" as unknown as number });
    expect(s.status).toBe(400);
    const res = await nx.call<ErrorBody>("POST", "/api/v1/agents/execute", { body: { agent_type: "claude-conversational", prompt: "x", max_tokens: -1 } });
    expect(res.status).toBe(400);
    expect(res.body.issues?.map((i) => i.path)).toEqual(["body.max_tokens"]);
  });
});

describe("health and limits", () => {
  it("reports offline in /health when Claude is the local Messages server", async () => {
    const res = await fetch(`${nx.base}/health`);
    expect(await res.json()).toMatchObject({ status: "healthy", service: "nexus", details: { offline: true, claude_configured: true } });
  });

  it("fails a model call that hangs past the timeout instead of hanging, and says what is missing without Claude", async () => {
    await nx.restart({ NEXUS_MODEL_TIMEOUT_MS: 300, NEXUS_MAX_RETRIES: 0 });
    nx.messages.script.push(reply.hang());
    const hung = (await execute({ agent_type: "claude-conversational", prompt: "hang" })).body;
    const s = await nx.stream(hung.stream_url);
    expect(s.events.at(-1)?.data.status).toBe("failed");
    expect(String(s.events.find((e) => e.event === "error")?.data.message)).toMatch(/timed out/i);

    await nx.restart({ ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined });
    const health = (await (await fetch(`${nx.base}/health`)).json()) as { details: { offline: boolean; claude_configured: boolean } };
    expect(health.details).toMatchObject({ offline: false, claude_configured: false });
    const none = (await execute({ agent_type: "claude-conversational", prompt: "anyone?" })).body;
    const n = await nx.stream(none.stream_url);
    expect(n.events.find((e) => e.event === "error")?.data.message).toContain("ANTHROPIC_API_KEY");
  });
});

describe("conversation list", () => {
  it("lists the organization's conversations newest first, a page at a time, and nothing of another organization's", async () => {
    const made: string[] = [];
    for (const title of ["first", "second", "third"]) {
      made.push((await nx.call<{ id: string }>("POST", "/api/v1/conversations", { body: { title: `list-${title}` } })).body.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    await nx.call("POST", "/api/v1/conversations", { body: { title: "list-theirs" }, key: KEY_B });
    type Page = { conversations: { id: string; title: string; message_count: number }[]; next_cursor: string | null };
    const first = (await nx.call<Page>("GET", "/api/v1/conversations?limit=2")).body;
    expect(first.conversations.map((c) => c.title)).toEqual(["list-third", "list-second"]);
    expect(first.conversations[0]).toMatchObject({ id: made[2], message_count: 0 });
    const rest = (await nx.call<Page>("GET", `/api/v1/conversations?limit=100&cursor=${first.next_cursor}`)).body;
    expect(rest.conversations.map((c) => c.title)).toContain("list-first");
    expect(rest.conversations.map((c) => c.title)).not.toContain("list-theirs");
    expect(rest.next_cursor).toBeNull();
    const theirs = (await nx.call<Page>("GET", "/api/v1/conversations", { key: KEY_B })).body;
    expect(theirs.conversations.map((c) => c.title)).toEqual(["list-theirs"]);
    const bad = await nx.call<ErrorBody>("GET", "/api/v1/conversations?cursor=nope");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("Unknown cursor nope");
  });
});
