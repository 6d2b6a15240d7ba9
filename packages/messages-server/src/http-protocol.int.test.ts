import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MessagesServer, reply, startMessagesServer } from "./index";

// The wire format itself, checked with plain fetch: what any client (not only our SDK) sees.
let server: MessagesServer;
const headers = { "content-type": "application/json", "x-api-key": "k", "anthropic-version": "2023-06-01" };
const body = { model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
const post = (path: string, payload: unknown, extra: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(payload) });

function sseEvents(text: string): { event: string; data: { type: string } & Record<string, unknown> }[] {
  return text
    .trim()
    .split("\n\n")
    .map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      return { event: eventLine!.replace("event: ", ""), data: JSON.parse(dataLine!.replace("data: ", "")) };
    });
}

beforeEach(async () => {
  server = await startMessagesServer();
});
afterEach(() => server.close());

describe("wire protocol", () => {
  it("answers HEAD / and GET / with 200 and a request-id, as Claude Code's probe expects", async () => {
    const head = await fetch(server.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("request-id")).toMatch(/^req_\w+$/);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it("streams the API's event sequence, text and tool use, with matching event names and types", async () => {
    server.script.push(reply.toolUse("Bash", { command: "ls -la" }, { text: "Listing.", stream: { chunkChars: 6 } }));
    const tools = [{ name: "Bash", input_schema: { type: "object" } }];
    const response = await post("/v1/messages?beta=true", { ...body, stream: true, tools });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const events = sseEvents(await response.text());
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_stop",
      "content_block_start", ...Array<string>(5).fill("content_block_delta"), "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[0]!.data.message).toMatchObject({ content: [], stop_reason: null, usage: { input_tokens: expect.any(Number) } });
    expect(events[6]!.data.content_block).toMatchObject({ type: "tool_use", name: "Bash", input: {} });
    const json = events.slice(7, 12).map((e) => (e.data.delta as { partial_json: string }).partial_json);
    expect(json[0]).toBe("");
    expect(JSON.parse(json.join(""))).toEqual({ command: "ls -la" });
    expect(events[13]!.data).toMatchObject({ delta: { stop_reason: "tool_use" }, usage: { output_tokens: expect.any(Number) } });
  });

  it("sends a mid-stream failure as an `error` event and ends the stream", async () => {
    server.script.push(reply.failMidStream("abcdefgh", 1, { type: "api_error", message: "boom" }));
    const events = sseEvents(await (await post("/v1/messages", { ...body, stream: true })).text());
    expect(events.at(-1)).toEqual({ event: "error", data: { type: "error", error: { type: "api_error", message: "boom" } } });
    expect(events.filter((e) => e.event === "content_block_delta")).toHaveLength(1);
  });

  it("requires an API key header (401) and the anthropic-version header (400)", async () => {
    const noKey = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    const noVersion = await fetch(`${server.url}/v1/messages`, { method: "POST", headers: { "x-api-key": "k" }, body: JSON.stringify(body) });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { message: "anthropic-version: header is required" } });
  });

  it.each([
    [{ ...body, model: undefined }, "model: Field required"],
    [{ ...body, max_tokens: 1.5 }, "max_tokens: Input should be a valid integer"],
    [{ ...body, messages: [] }, "messages: at least one message is required"],
    [{ ...body, messages: [{ role: "user", content: [{ type: "text" }] }] }, "messages.0.content.0.text: Field required"],
    [{ ...body, messages: [{ role: "robot", content: "x" }] }, "messages.0.role: Input should be 'user', 'assistant' or 'system'"],
    [{ ...body, messages: [{ role: "assistant", content: "x" }] }, 'messages: first message must use the "user" role'],
    [{ ...body, unknown_field: 1 }, "unknown_field: Extra inputs are not permitted"],
    [{ ...body, thinking: { type: "enabled", budget_tokens: 2000 } }, "max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`"],
    [{ ...body, tools: [{ name: "a", input_schema: { type: "object" } }, { name: "a", input_schema: { type: "object" } }] }, "tools: Tool names must be unique."],
    [
      { ...body, max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 2000 }, tools: [{ name: "a", input_schema: { type: "object" } }], tool_choice: { type: "tool", name: "a" } },
      "Thinking may not be enabled when tool_choice forces tool use.",
    ],
    [
      { ...body, max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 2000 }, tools: [{ name: "a", input_schema: { type: "object" } }], tool_choice: { type: "any" } },
      "Thinking may not be enabled when tool_choice forces tool use.",
    ],
  ])("rejects invalid bodies with 400 invalid_request_error naming the field (%#)", async (payload, message) => {
    const response = await post("/v1/messages", payload);
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error).toEqual({ type: "error", error: { type: "invalid_request_error", message }, request_id: response.headers.get("request-id") });
    expect(server.requests[0]).toMatchObject({ status: 400, handledBy: "rejected" });
  });

  it("rejects a body that is not JSON with 400", async () => {
    const response = await fetch(`${server.url}/v1/messages`, { method: "POST", headers, body: "{nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringContaining("not valid JSON") } });
  });

  it("accepts beta-only fields and `system` role messages on ?beta=true, as Claude Code sends them", async () => {
    const beta = {
      ...body,
      context_management: { edits: [] },
      betas_only_field: true,
      messages: [...body.messages, { role: "system", content: "env" }],
      thinking: { type: "adaptive", display: "updates" },
    };
    const response = await post("/v1/messages?beta=true", beta);
    expect(response.status).toBe(200);
    expect(server.requests[0]).toMatchObject({ beta: true, handledBy: "default" });
  });

  it("answers unknown paths with 404 not_found_error", async () => {
    const response = await fetch(`${server.url}/v1/nothing`, { headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});

describe("recorded requests", () => {
  it("keeps only the most recent maxRecorded requests, so a long-running dev server does not grow", async () => {
    const small = await startMessagesServer({ maxRecorded: 2 });
    try {
      for (const path of ["/a", "/b", "/c"]) await fetch(`${small.url}${path}`, { method: "HEAD" });
      expect(small.requests.map((r) => r.path)).toEqual(["/b", "/c"]);
    } finally {
      await small.close();
    }
  });
});
