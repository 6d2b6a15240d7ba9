import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lastUserText, match, type MessagesServer, reply, startMessagesServer } from "./index";

let server: MessagesServer;
let client: Anthropic;
const tools: Anthropic.Tool[] = [{ name: "Write", input_schema: { type: "object" } }];
const textOf = (message: Anthropic.Message) => (message.content[0]?.type === "text" ? message.content[0].text : "");
const send = (params: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) =>
  client.messages.create({ model: "claude-opus-4-6", max_tokens: 200, messages: [{ role: "user", content: "hello" }], ...params });

beforeEach(async () => {
  server = await startMessagesServer();
  client = new Anthropic({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

describe("scripting", () => {
  it("consumes replies in order, then falls back to the default responder", async () => {
    server.script.push(reply.text("first"), reply.text("second"));
    expect(textOf(await send())).toBe("first");
    expect(textOf(await send())).toBe("second");
    expect(textOf(await send())).toMatch(/^\[offline\]/);
    expect(server.requests.map((r) => r.handledBy)).toEqual(["script", "script", "default"]);
  });

  it("keeps main-loop replies for requests with tools; side requests without tools get the default", async () => {
    server.script.mainLoop(reply.text("main loop answer"));
    const title = await send({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "Summarize this chat in a title" }] });
    expect(textOf(title)).toMatch(/^\[offline\]/);
    expect(server.script.pending).toBe(1);
    expect(textOf(await send({ tools }))).toBe("main loop answer");
    expect(server.script.pending).toBe(0);
  });

  it("lets later entries answer requests that earlier entries do not match", async () => {
    server.script.when(match.model("claude-opus-4-6"), reply.text("for opus")).when(match.model(/haiku/), reply.text("for haiku"));
    expect(textOf(await send({ model: "claude-haiku-4-5" }))).toBe("for haiku");
    expect(textOf(await send())).toBe("for opus");
  });

  it("matches on the last user text and on tool results", async () => {
    server.script
      .when(match.hasToolResult("Write"), reply.text("saw the write result"))
      .when(match.lastUserText(/weather/i), reply.text("weather reply"));
    expect(textOf(await send({ messages: [{ role: "user", content: "What's the weather?" }] }))).toBe("weather reply");
    const afterTool = await send({
      tools,
      messages: [
        { role: "user", content: "write it" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Write", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    });
    expect(textOf(afterTool)).toBe("saw the write result");
  });

  it("answers every matching request from an `always` entry without consuming it", async () => {
    server.script.always(match.model(/haiku/), reply.error(529, { retryAfter: 0.01 }));
    for (let i = 0; i < 2; i += 1) {
      await expect(send({ model: "claude-haiku-4-5" })).rejects.toBeInstanceOf(Anthropic.OverloadedError);
    }
    expect(textOf(await send())).toMatch(/^\[offline\]/);
    server.script.clear();
    expect(textOf(await send({ model: "claude-haiku-4-5" }))).toMatch(/^\[offline\]/);
  });

  it("builds replies from the request when given a function", async () => {
    server.script.push((call) => reply.text(`echo: ${lastUserText(call.body)} on ${call.body.model}`));
    expect(textOf(await send())).toBe("echo: hello on claude-opus-4-6");
  });

  it("uses a custom default responder when one is given", async () => {
    await server.close();
    server = await startMessagesServer({ responder: (call) => reply.text(`custom ${call.body.messages.length}`) });
    client = new Anthropic({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
    expect(textOf(await send())).toBe("custom 1");
  });
});
