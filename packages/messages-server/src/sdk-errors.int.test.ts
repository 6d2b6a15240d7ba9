import Anthropic, { type APIError, type RateLimitError } from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MessagesServer, reply, startMessagesServer } from "./index";

let server: MessagesServer;
const model = "claude-sonnet-4-6";
const messages: Anthropic.MessageParam[] = [{ role: "user", content: "hi" }];
const clientFor = (options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
  new Anthropic({ apiKey: "test", baseURL: server.url, maxRetries: 0, ...options });
const messageCalls = () => server.requests.filter((r) => r.path === "/v1/messages");

beforeEach(async () => {
  server = await startMessagesServer();
});
afterEach(() => server.close());

describe("errors and retries through the real SDK", () => {
  it("answers 429 with retry-after and rate-limit headers, and the SDK waits and retries", async () => {
    // 1.2 s is beyond the SDK's own first backoff (at most 0.5 s): only retry-after explains the wait.
    server.script.push(reply.rateLimited(1.2), reply.text("after the wait"));
    const started = Date.now();
    const message = await clientFor({ maxRetries: 2 }).messages.create({ model, max_tokens: 50, messages });
    expect(message.content[0]).toMatchObject({ text: "after the wait" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1150);
    expect(messageCalls().map((r) => r.status)).toEqual([429, 200]);
    expect(messageCalls()[1]?.headers["x-stainless-retry-count"]).toBe("1");
  });

  it("surfaces 429 as RateLimitError with retry-after and anthropic-ratelimit headers when retries are off", async () => {
    server.script.push(reply.rateLimited(7));
    const error = await clientFor().messages.create({ model, max_tokens: 50, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const headers = (error as RateLimitError).headers;
    expect(headers.get("retry-after")).toBe("7");
    expect(headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    expect(headers.get("request-id")).toMatch(/^req_/);
  });

  it("answers 529 overloaded twice and the SDK's default two retries reach the reply", async () => {
    server.script.push(reply.overloaded(), reply.overloaded(), reply.text("finally"));
    const message = await clientFor({ maxRetries: 2 }).messages.create({ model, max_tokens: 50, messages });
    expect(message.content[0]).toMatchObject({ text: "finally" });
    expect(messageCalls().map((r) => r.status)).toEqual([529, 529, 200]);
  });

  it("gives up after the retries with OverloadedError carrying the API's error type", async () => {
    server.script.push(reply.error(529, { retryAfter: 0.05 }), reply.error(529, { retryAfter: 0.05 }));
    const error = await clientFor({ maxRetries: 1 }).messages.create({ model, max_tokens: 50, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect((error as APIError).type).toBe("overloaded_error");
    expect(messageCalls()).toHaveLength(2);
  });

  it("retries a 500 api_error", async () => {
    server.script.push(reply.error(500, { retryAfter: 0.05 }), reply.text("recovered"));
    const message = await clientFor({ maxRetries: 1 }).messages.create({ model, max_tokens: 50, messages });
    expect(message.content[0]).toMatchObject({ text: "recovered" });
    expect(messageCalls().map((r) => r.status)).toEqual([500, 200]);
  });

  it("rejects an invalid request with 400 BadRequestError naming the problem, without consuming the script", async () => {
    server.script.push(reply.text("unused"));
    const error = await clientFor({ maxRetries: 2 }).messages.create({ model, max_tokens: 0, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as APIError).apiMessage).toBe("max_tokens: Input should be greater than or equal to 1");
    expect(messageCalls()).toHaveLength(1);
    expect(server.script.pending).toBe(1);
  });

  it("rejects a tool_result that answers no tool_use, as the API does", async () => {
    const error = await clientFor()
      .messages.create({
        model,
        max_tokens: 50,
        messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_missing", content: "x" }] }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as APIError).apiMessage).toContain("unexpected `tool_use_id` found in `tool_result` blocks: toolu_missing");
  });

  it("requires the configured API key (401 AuthenticationError)", async () => {
    await server.close();
    server = await startMessagesServer({ apiKey: "right-key" });
    const error = await clientFor({ apiKey: "wrong-key" }).messages.create({ model, max_tokens: 50, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    const ok = await clientFor({ apiKey: "right-key" }).messages.create({ model, max_tokens: 50, messages });
    expect(ok.type).toBe("message");
  });

  it("answers 413 request_too_large above the body limit", async () => {
    await server.close();
    server = await startMessagesServer({ maxBodyBytes: 1000 });
    const big: Anthropic.MessageParam[] = [{ role: "user", content: "x".repeat(5000) }];
    const error = await clientFor().messages.create({ model, max_tokens: 50, messages: big }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.ContentTooLargeError);
    expect((error as APIError).type).toBe("request_too_large");
  });

  it("hangs until the client aborts", async () => {
    server.script.push(reply.hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await clientFor().messages.create({ model, max_tokens: 50, messages }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect.poll(() => messageCalls()[0]?.status, { timeout: 1000 }).toBeUndefined();
  });

  it("hangs until the client's own timeout fires", async () => {
    server.script.push(reply.hang());
    const error = await clientFor({ timeout: 200 }).messages.create({ model, max_tokens: 50, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it("fails mid-stream with an SSE error event that surfaces from the stream", async () => {
    server.script.push(reply.failMidStream("one two three four five six", 2, { type: "overloaded_error", message: "Overloaded mid-stream" }));
    const stream = clientFor().messages.stream({ model, max_tokens: 50, messages });
    const texts: string[] = [];
    stream.on("text", (text) => texts.push(text));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as APIError).type).toBe("overloaded_error");
    expect((error as APIError).apiMessage).toBe("Overloaded mid-stream");
    expect(texts).toEqual(["one ", "two "]);
  });

  it("stalls mid-stream until the client aborts", async () => {
    server.script.push(reply.text("abcdefghij", { stream: { chunkChars: 2, hangAfterDeltas: 1 } }));
    const stream = clientFor().messages.stream({ model, max_tokens: 50, messages });
    const texts: string[] = [];
    stream.on("text", (text) => {
      texts.push(text);
      setTimeout(() => stream.abort(), 100);
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(texts).toEqual(["ab"]);
  });
});
