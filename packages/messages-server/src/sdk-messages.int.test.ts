import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lastToolResults, type MessagesServer, reply, startMessagesServer } from "./index";

let server: MessagesServer;
let client: Anthropic;
const model = "claude-sonnet-4-6";
const ask = (text: string): Anthropic.MessageParam[] => [{ role: "user", content: text }];

beforeEach(async () => {
  server = await startMessagesServer();
  client = new Anthropic({ apiKey: "sk-test-secret", baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

describe("messages through the real SDK", () => {
  it("answers a non-streaming request with a complete message and usage", async () => {
    server.script.push(reply.text("Hello there.", { usage: { inputTokens: 42, outputTokens: 3, cacheReadInputTokens: 7 } }));
    const message = await client.messages.create({ model, max_tokens: 100, messages: ask("hi") });
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe(model);
    expect(message.content).toEqual([{ type: "text", text: "Hello there.", citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 42,
      output_tokens: 3,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      service_tier: "standard",
    });
  });

  it("streams text in several deltas and gives a final message with cache usage", async () => {
    server.script.push(
      reply.text("The quick brown fox jumps.", {
        usage: { inputTokens: 10, cacheCreationInputTokens: 300, cacheCreation1hInputTokens: 100, cacheReadInputTokens: 50 },
        stream: { chunkChars: 5, deltaDelayMs: 20 },
      }),
    );
    const stream = client.messages.stream({ model, max_tokens: 100, messages: ask("go") });
    const deltas: { text: string; at: number }[] = [];
    stream.on("text", (text) => deltas.push({ text, at: Date.now() }));
    const final = await stream.finalMessage();
    expect(deltas.map((d) => d.text)).toEqual(["The q", "uick ", "brown", " fox ", "jumps", "."]);
    expect(deltas.at(-1)!.at - deltas[0]!.at).toBeGreaterThanOrEqual(80);
    expect(final.content).toEqual([{ type: "text", text: "The quick brown fox jumps.", citations: null }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 7,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 50,
      cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
    });
  });

  it("holds the first byte back for a scripted delay (time to first token)", async () => {
    server.script.push(reply.text("late", { delayMs: 150 }));
    const started = Date.now();
    const stream = client.messages.stream({ model, max_tokens: 100, messages: ask("go") });
    const firstText = await new Promise<number>((resolve) => stream.once("text", () => resolve(Date.now())));
    await stream.finalMessage();
    expect(firstText - started).toBeGreaterThanOrEqual(140);
  });

  it("runs a tool-use round trip: tool_use block, tool_result sent back, final text", async () => {
    server.script.push(
      reply.toolUse("get_weather", { city: "Paris" }, { text: "Let me check.", id: "toolu_weather1" }),
      (call) => reply.text(`It is ${String(lastToolResults(call.body)[0]?.content)} in Paris.`),
    );
    const tools: Anthropic.Tool[] = [
      { name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } } } },
    ];
    const messages = ask("Weather in Paris?");
    const first = await client.messages.stream({ model, max_tokens: 200, tools, messages }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const toolUse = first.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({ id: "toolu_weather1", name: "get_weather", input: { city: "Paris" } });

    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_weather1", content: "sunny" }] });
    const second = await client.messages.create({ model, max_tokens: 200, tools, messages });
    expect(second.content).toEqual([{ type: "text", text: "It is sunny in Paris.", citations: null }]);
    expect(second.stop_reason).toBe("end_turn");
    expect(server.script.pending).toBe(0);
  });

  it("streams thinking with its signature before the answer", async () => {
    server.script.push(reply.thinking("Consider the options carefully.", "Option B."));
    const stream = client.messages.stream({
      model,
      max_tokens: 4000,
      thinking: { type: "enabled", budget_tokens: 2000 },
      messages: ask("Which option?"),
    });
    const thinking: string[] = [];
    stream.on("thinking", (delta) => thinking.push(delta));
    const final = await stream.finalMessage();
    expect(thinking.join("")).toBe("Consider the options carefully.");
    expect(final.content[0]).toMatchObject({ type: "thinking", thinking: "Consider the options carefully." });
    expect(final.content[0]?.type === "thinking" && final.content[0].signature.length).toBeGreaterThan(10);
    expect(final.content[1]).toMatchObject({ type: "text", text: "Option B." });
  });

  it("records each request with its body and without the API key", async () => {
    await client.messages.create({ model, max_tokens: 50, system: "Be brief.", messages: ask("record me") });
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ method: "POST", path: "/v1/messages", beta: false, status: 200, handledBy: "default" });
    expect(recorded?.body).toMatchObject({ model, max_tokens: 50, system: "Be brief.", messages: [{ role: "user", content: "record me" }] });
    expect(recorded?.headers.authorization ?? recorded?.headers["x-api-key"]).toBe("[redacted]");
    expect(JSON.stringify(recorded)).not.toContain("sk-test-secret");
    expect(recorded?.headers["anthropic-version"]).toBeTruthy();
  });

  it("answers unscripted requests with the deterministic [offline] reply echoing the user", async () => {
    const ask1 = () => client.messages.create({ model, max_tokens: 200, messages: ask("What is 2+2?") });
    const [a, b] = [await ask1(), await ask1()];
    const text = a.content[0]?.type === "text" ? a.content[0].text : "";
    expect(text.startsWith("[offline]")).toBe(true);
    expect(text).toContain('You said: "What is 2+2?"');
    expect(b.content).toEqual(a.content);
    expect(a.usage.output_tokens).toBe(Math.ceil(text.length / 4));
  });

  it("stops at a requested stop sequence and at max_tokens like the model would", async () => {
    server.script.push(reply.text("one, two, STOP three"), reply.text("x".repeat(100)));
    const stopped = await client.messages.create({ model, max_tokens: 100, stop_sequences: ["STOP"], messages: ask("count") });
    expect(stopped).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "STOP", content: [{ text: "one, two, " }] });
    const cut = await client.messages.create({ model, max_tokens: 5, messages: ask("long") });
    expect(cut).toMatchObject({ stop_reason: "max_tokens", content: [{ text: "x".repeat(20) }] });
  });

  it("counts tokens and lists models", async () => {
    const counted = await client.messages.countTokens({ model, messages: ask("a".repeat(400)) });
    expect(counted.input_tokens).toBeGreaterThanOrEqual(100);
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(expect.arrayContaining(["claude-opus-5-5", "claude-sonnet-4-6", "claude-haiku-4-5"]));
    expect((await client.models.retrieve("claude-opus-5-5")).display_name).toBe("Claude Opus 5.5");
  });
});
