// What Nexus accepts: text PostgreSQL can store (refused with 400 before anything is stored), one
// reply at a time per conversation (409), and request bodies as common HTTP clients send them.
import type { ConversationView, ErrorBody, ExecuteResponse, ExecutionView, GraphView } from "@kayos/contracts";
import { reply } from "@kayos/messages-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildService } from "../shared/server";
import { nexusRequests } from "./routes/requests";
import { KEY_A, listen, startNexus, tokensOf } from "./test-harness";

let nx: Awaited<ReturnType<typeof startNexus>>;
beforeAll(async () => {
  nx = await startNexus();
});
afterAll(async () => {
  await nx?.stop();
});

const execute = (body: Record<string, unknown>) => nx.call<ExecuteResponse>("POST", "/api/v1/agents/execute", { body });
const conversation = async () => (await nx.call<ConversationView>("POST", "/api/v1/conversations", { body: {} })).body.id;
const counts = async () => ({
  executions: await nx.db.execution.count(),
  conversations: await nx.db.conversation.count(),
  messages: await nx.db.conversationMessage.count(),
  graphs: await nx.db.kaygraphDefinition.count(),
});
const TEXT = /must not contain a NUL character \(\\u0000\) or an unpaired surrogate/;
const GREET = { version: 1, start: "greet", nodes: [{ id: "greet", type: "tool.call", config: { tool: "template", args: { text: "Hello" } } }], edges: [] };

/** Raw fetch: no body, or a body with any content type. */
const raw = async (method: string, p: string, init: { body?: string; type?: string } = {}) => {
  const res = await fetch(`${nx.base}${p}`, {
    method,
    headers: { authorization: `Bearer ${KEY_A}`, ...(init.type ? { "content-type": init.type } : {}) },
    body: init.body,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as ErrorBody & Record<string, unknown> };
};

describe("text PostgreSQL cannot store", () => {
  it("is refused with 400 naming the field before an execution is acknowledged or anything is stored", async () => {
    const before = await counts();
    for (const [body, path] of [
      [{ agent_type: "claude-conversational", prompt: "hi\u0000there" }, "body.prompt"],
      [{ agent_type: "claude-conversational", prompt: "lone \ud800 surrogate" }, "body.prompt"],
      [{ agent_type: "claude-conversational", prompt: "hi", context: { note: "a\u0000b" } }, "body.context"],
      [{ agent_type: "claude-conversational", prompt: "hi", context: { ["k\u0000"]: 1 } }, "body.context"],
      [{ agent_type: "claude-conversational", prompt: "hi", context: { deep: [{ x: "\udc00" }] } }, "body.context"],
      [{ agent_type: "claude-conversational", prompt: "hi", model: "claude\u0000" }, "body.model"],
      [{ agent_type: "claude\u0000conversational", prompt: "hi" }, "body.agent_type"],
      [{ agent_type: "kaygraph", definition_id: "g\u0000", input: {} }, "body.definition_id"],
      [{ agent_type: "kaygraph", definition_id: "g", input: { name: "\u0000" } }, "body.input"],
      [{ agent_type: "claude-conversational", prompt: "hi", conversation_id: "conv_\u0000" }, "body.conversation_id"],
    ] as const) {
      const res = await nx.call<ErrorBody>("POST", "/api/v1/agents/execute", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.issues?.map((i) => i.path), JSON.stringify(body)).toEqual([path]);
      expect(res.body.message).toMatch(TEXT);
    }
    // Asked for the stream right away: a JSON 400, not a stream carrying PostgreSQL's message.
    const s = await nx.stream("/api/v1/agents/execute", { method: "POST", accept: "text/event-stream", body: { agent_type: "claude-conversational", prompt: "hi\u0000" } });
    expect(s.status).toBe(400);
    expect(s.headers.get("content-type")).toContain("application/json");
    expect(s.body).toMatch(/body\.prompt/);
    expect(await counts()).toEqual(before);
  });

  it("is refused in conversations, graphs and answers, and as a NUL (%00) in any path id", async () => {
    const id = await conversation();
    const before = await counts();
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/conversations", { title: "a\u0000b" }, "body.title"],
      ["POST", "/api/v1/conversations", { system: "be \ud800 brief" }, "body.system"],
      ["POST", `/api/v1/conversations/${id}/message?stream=false`, { content: "a\u0000b" }, "body.content"],
      ["POST", `/api/v1/conversations/${id}/message?stream=false`, { prompt: "\udfff" }, "body.prompt"],
      ["POST", "/api/v1/graphs", { name: "a\u0000b", definition: GREET }, "body.name"],
      ["POST", "/api/v1/graphs", { name: "ok", description: "\u0000", definition: GREET }, "body.description"],
      ["POST", "/api/v1/graphs", { name: "ok", definition: { ...GREET, nodes: [{ ...GREET.nodes[0], config: { tool: "template", args: { text: "a\u0000" } } }] } }, "body.definition"],
      ["POST", "/api/v1/graphs/validate", { definition: { ...GREET, start: "\ud800" } }, "body.definition"],
      ["POST", "/api/v1/graphs/g_1/run", { input: { "\u0000": 1 } }, "body.input"],
      ["POST", "/api/v1/agents/exe_1/answer", { answer: { color: "blue\u0000" } }, "body.answer"],
      ["GET", "/api/v1/agents/exe_%00x", undefined, "params.id"],
      ["GET", "/api/v1/agents/status/exe_%00x", undefined, "params.id"],
      ["GET", "/api/v1/agents/exe_%00x/stream", undefined, "params.id"],
      ["POST", "/api/v1/agents/exe_%00x/stop", undefined, "params.id"],
      ["POST", "/api/v1/agents/exe_%00x/answer", { answer: 1 }, "params.id"],
      ["GET", "/api/v1/conversations/conv_%00x", undefined, "params.id"],
      ["POST", "/api/v1/conversations/conv_%00x/message", { content: "hi" }, "params.id"],
      ["GET", "/api/v1/graphs/g_%00x", undefined, "params.id"],
      ["POST", "/api/v1/graphs/g_%00x/run", {}, "params.id"],
    ];
    for (const [method, p, body, path] of cases) {
      const res = await nx.call<ErrorBody>(method, p, body === undefined ? {} : { body });
      expect(res.status, `${method} ${p}`).toBe(400);
      expect(res.body.issues?.map((i) => i.path), `${method} ${p}`).toEqual([path]);
      expect(res.body.message).toMatch(TEXT);
    }
    expect(await counts()).toEqual(before);
  });

  it("keeps a NUL that slipped past validation from answering 500: PostgreSQL's data exceptions (class 22) answer 400", async () => {
    // A Nexus route whose value reaches PostgreSQL unchecked (through Prisma's driver adapter).
    const app = await buildService(
      { name: "nexus", title: "t", description: "d", logLevel: "silent", resolveCaller: async () => ({ organizationId: "org_a", keyId: "k", keyName: "k" }) },
      (api) => {
        nexusRequests(api);
        api.post("/api/v1/unchecked", async (request) => nx.db.conversation.create({ data: { organizationId: "org_a", agentType: "x", title: (request.body as { title: string }).title } }));
      },
    );
    try {
      const res = await fetch(`${await listen(app)}/api/v1/unchecked`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "a\u0000b" }) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).message).toMatch(/^A value could not be stored: invalid byte sequence for encoding "UTF8": 0x00/);
    } finally {
      await app.close();
    }
  });

  it("acknowledges an execution only once its row is stored", async () => {
    nx.messages.script.push(reply.text("ok"));
    let answered = false;
    let pending!: ReturnType<typeof execute>;
    // Inserts into executions wait while the table is locked: no answer until the lock goes.
    await nx.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("LOCK TABLE executions IN SHARE MODE");
        pending = execute({ agent_type: "claude-conversational", prompt: "Store me first" }).then((r) => {
          answered = true;
          return r;
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(answered).toBe(false);
      },
      { timeout: 10_000 },
    );
    const started = (await pending).body;
    // Read straight from the table, not through Nexus (which would wait for a row of its own run).
    expect(await nx.db.execution.findUnique({ where: { id: started.id } })).toMatchObject({ id: started.id, organizationId: "org_a" });
    expect(await nx.db.conversation.findUnique({ where: { id: started.conversation_id! } })).toMatchObject({ title: "Store me first" });
    await nx.stream(started.stream_url);
  });
});

describe("one reply at a time per conversation", () => {
  it("refuses a message with 409 while a reply is being written, storing nothing for it, then takes the next one", async () => {
    const id = await conversation();
    nx.messages.script.push(reply.text("Four, and take your time.", { stream: { chunkChars: 4, deltaDelayMs: 30 } }));
    const questions = ["2+2?", "3+3?", "4+4?", "5+5?"];
    const answers = await Promise.all(
      questions.map((content) => nx.call<ExecuteResponse & ErrorBody>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { content } })),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 409);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(3);
    const running = accepted[0]!.body.id;
    for (const r of refused) {
      expect(r.body.message).toMatch(/reply is still being written/);
      expect(r.body.message).toContain(running);
    }
    // The same through execute with conversation_id, and when the stream is asked for.
    const viaExecute = await execute({ agent_type: "claude-conversational", prompt: "6+6?", conversation_id: id });
    expect(viaExecute.status).toBe(409);
    const viaStream = await nx.stream(`/api/v1/conversations/${id}/message`, { method: "POST", body: { content: "7+7?" } });
    expect(viaStream.status).toBe(409);
    expect(viaStream.body).toContain(running);

    await nx.stream(accepted[0]!.body.stream_url);
    const asked = questions[answers.findIndex((a) => a.status === 200)]!;
    const request = nx.messages.requests.filter((r) => r.path === "/v1/messages").at(-1)!;
    expect((request.body as { messages: unknown[] }).messages).toEqual([{ role: "user", content: asked }]);
    expect((await nx.call<ConversationView>("GET", `/api/v1/conversations/${id}`)).body.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", asked],
      ["assistant", "Four, and take your time."],
    ]);
    expect(await nx.db.execution.count({ where: { conversationId: id } })).toBe(1);

    nx.messages.script.push(reply.text("Twelve."));
    const next = await nx.stream(`/api/v1/conversations/${id}/message`, { method: "POST", body: { content: "6+6?" } });
    expect(tokensOf(next.events)).toBe("Twelve.");
  });

  it("takes the next message once the running reply is stopped", async () => {
    const id = await conversation();
    nx.messages.script.push(reply.text("x".repeat(400), { stream: { chunkChars: 2, deltaDelayMs: 30 } }));
    const first = await nx.call<ExecuteResponse>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { content: "Long one" } });
    expect((await nx.call("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { content: "Next" } })).status).toBe(409);
    expect((await nx.call<ExecutionView>("POST", `/api/v1/agents/${first.body.id}/stop`)).body.status).toBe("stopped");
    nx.messages.script.push(reply.text("Sure."));
    const next = await nx.call<ExecuteResponse>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { content: "Next" } });
    expect(next.status).toBe(200);
    await nx.stream(next.body.stream_url);
  });
});

describe("request bodies", () => {
  it("accepts an empty JSON body where the body is optional or absent, and no body where every field is optional", async () => {
    const bare = await raw("POST", "/api/v1/conversations");
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ agent_type: "claude-conversational", messages: [] });
    expect((await raw("POST", "/api/v1/conversations", { body: "", type: "application/json" })).status).toBe(201);

    nx.messages.script.push(reply.text("y".repeat(400), { stream: { chunkChars: 2, deltaDelayMs: 30 } }));
    const started = (await execute({ agent_type: "claude-conversational", prompt: "Slow" })).body;
    const stopped = await raw("POST", `/api/v1/agents/${started.id}/stop`, { body: "", type: "application/json" });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");

    const graph = (await nx.call<GraphView>("POST", "/api/v1/graphs", { body: { name: "greet", definition: GREET } })).body;
    const run = await raw("POST", `/api/v1/graphs/${graph.id}/run`);
    expect(run.status).toBe(200);
    expect((await nx.stream(String(run.body.stream_url))).events.at(-1)?.data.status).toBe("succeeded");
    expect((await raw("POST", `/api/v1/graphs/${graph.id}/run`, { body: "", type: "application/json" })).status).toBe(200);
    // Malformed JSON is still refused.
    expect((await raw("POST", "/api/v1/conversations", { body: "{", type: "application/json" })).status).toBe(400);
  });

  it("names a missing required field and says it is required", async () => {
    for (const [method, p, body, path] of [
      ["POST", "/api/v1/graphs", { name: "x" }, "body.definition"],
      ["POST", "/api/v1/graphs", { definition: GREET }, "body.name"],
      ["POST", "/api/v1/graphs/validate", {}, "body.definition"],
      ["POST", "/api/v1/agents/exe_1/answer", {}, "body.answer"],
      ["POST", "/api/v1/agents/execute", {}, "body.agent_type"],
      ["POST", "/api/v1/agents/execute", undefined, "body.agent_type"],
    ] as const) {
      const res = await nx.call<ErrorBody>(method, p, body === undefined ? {} : { body });
      expect(res.status, `${p} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.issues, `${p} ${JSON.stringify(body)}`).toEqual([{ path, message: "is required" }]);
      expect(res.body.message).toContain(`${path} is required`);
    }
  });

  it("names the field of a conversation message: content (or prompt when that was sent)", async () => {
    const id = await conversation();
    const empty = await nx.call<ErrorBody>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { content: "  " } });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe("content is empty; send the text for the agent");
    expect(empty.body.issues).toEqual([{ path: "body.content", message: "must not be empty" }]);
    const none = await nx.call<ErrorBody>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: {} });
    expect(none.body.issues?.map((i) => i.path)).toEqual(["body.content"]);
    const big = await nx.call<ErrorBody>("POST", `/api/v1/conversations/${id}/message?stream=false`, { body: { prompt: "z".repeat(2001) } });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe("prompt is 2001 characters; the limit is 2000 (NEXUS_MAX_PROMPT_CHARS)");
    expect((await nx.call<ConversationView>("GET", `/api/v1/conversations/${id}`)).body.messages).toEqual([]);
  });

  it("counts the context's JSON against NEXUS_MAX_PROMPT_CHARS with the prompt (413 naming it)", async () => {
    const before = await counts();
    const big = await execute({ agent_type: "claude-conversational", prompt: "hi", context: { notes: "n".repeat(600_000) } });
    expect(big.status).toBe(413);
    const body = big.body as unknown as ErrorBody;
    expect(body.message).toMatch(/^prompt and context are 600\d{3} characters \(context as JSON: 600\d{3}\); the limit is 2000 \(NEXUS_MAX_PROMPT_CHARS\)$/);
    expect(body.issues?.map((i) => i.path)).toEqual(["body.context"]);
    // Together: a prompt under the limit with a context that takes it over.
    const together = await execute({ agent_type: "claude-conversational", prompt: "p".repeat(1500), context: { notes: "n".repeat(600) } });
    expect(together.status).toBe(413);
    expect(await counts()).toEqual(before);

    nx.messages.script.push(reply.text("noted"));
    const fits = await execute({ agent_type: "claude-conversational", prompt: "p".repeat(1500), context: { notes: "n".repeat(400) } });
    expect(fits.status).toBe(200);
    await nx.stream(fits.body.stream_url);
  });

  it("names the limit of a body that is too large", async () => {
    const res = await raw("POST", "/api/v1/agents/execute", {
      body: JSON.stringify({ agent_type: "claude-conversational", prompt: "x".repeat(1_100_000) }),
      type: "application/json",
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toBe("Request body is too large: the limit is 1048576 bytes (1 MiB)");
  });
});
