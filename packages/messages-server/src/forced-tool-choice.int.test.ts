import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type MessagesServer, startMessagesServer } from "./index";

// The default responder answers a forced tool choice the way the API does: one tool_use block for
// that tool, no text, `stop_reason: "tool_use"`, and an input valid against the tool's schema.

let server: MessagesServer;
let client: Anthropic;
const model = "claude-sonnet-4-6";

const weatherArgs = z.object({
  city: z.string().min(1),
  unit: z.enum(["celsius", "fahrenheit"]),
  days: z.number().int().min(1).max(7),
  detailed: z.boolean().optional(),
});
const weather: Anthropic.Tool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: z.toJSONSchema(weatherArgs, { io: "input" }) as Anthropic.Tool["input_schema"],
};
const echo: Anthropic.Tool = { name: "echo", input_schema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } };

const planArgs = z.object({
  summary: z.string().min(1),
  steps: z
    .array(z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), title: z.string().min(1), goal: z.string().min(1), depends_on: z.array(z.string()).default([]), service: z.enum(["nexus", "human"]) }))
    .min(1),
});
const submitPlan: Anthropic.Tool = { name: "submit_plan", input_schema: z.toJSONSchema(planArgs, { io: "input" }) as Anthropic.Tool["input_schema"] };

const params = (toolChoice: Anthropic.ToolChoice, tools = [weather, echo], content = "Weather in Lyon for the weekend?") => ({
  model,
  max_tokens: 500,
  tools,
  tool_choice: toolChoice,
  messages: [{ role: "user" as const, content }],
});

beforeEach(async () => {
  server = await startMessagesServer();
  client = new Anthropic({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

describe("forced tool choice, unscripted", () => {
  it("answers {type: tool} with a tool_use block for that tool and a valid input (JSON)", async () => {
    const message = await client.messages.create(params({ type: "tool", name: "get_weather" }));
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toHaveLength(1);
    const [block] = message.content;
    expect(block).toMatchObject({ type: "tool_use", name: "get_weather" });
    if (block?.type !== "tool_use") throw new Error("no tool_use");
    expect(block.id).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
    expect(weatherArgs.parse(block.input)).toEqual({ city: "Weather in Lyon for the weekend?", unit: "celsius", days: 1 });
    expect(message.usage.output_tokens).toBe(Math.ceil(JSON.stringify(block.input).length / 4));
    expect(server.requests.at(-1)?.handledBy).toBe("default");
  });

  it("streams the tool call as the API does: tool_use start, input_json_delta chunks, stop, message_delta tool_use", async () => {
    const expected = (await client.messages.create(params({ type: "tool", name: "get_weather" }))).content[0];
    const stream = client.messages.stream(params({ type: "tool", name: "get_weather" }));
    const events: Anthropic.MessageStreamEvent[] = [];
    const partials: string[] = [];
    stream.on("streamEvent", (event) => events.push(event));
    stream.on("inputJson", (partial) => partials.push(partial));
    const final = await stream.finalMessage();

    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      ...partials.map(() => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const start = events[1] as Anthropic.RawContentBlockStartEvent;
    expect(start.content_block).toMatchObject({ type: "tool_use", name: "get_weather", input: {} });
    const deltas = events.filter((e): e is Anthropic.RawContentBlockDeltaEvent => e.type === "content_block_delta");
    expect(deltas.every((d) => d.delta.type === "input_json_delta")).toBe(true);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((d) => (d.delta.type === "input_json_delta" ? d.delta.partial_json : "")).join("")).toBe(JSON.stringify(weatherArgs.parse(final.content[0]?.type === "tool_use" ? final.content[0].input : undefined)));
    expect(events.find((e) => e.type === "message_delta")).toMatchObject({ delta: { stop_reason: "tool_use" } });

    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toEqual([{ ...expected, id: expect.stringMatching(/^toolu_/) }]);
    expect(final.content[0]?.type === "tool_use" && final.content[0].id).not.toBe(expected?.type === "tool_use" && expected.id);
  });

  it("answers {type: any} with a call to a tool, and keeps text for auto and none", async () => {
    const any = await client.messages.create(params({ type: "any" }, [echo, weather], "say hi"));
    expect(any).toMatchObject({ stop_reason: "tool_use", content: [{ type: "tool_use", name: "echo", input: { text: "say hi" } }] });
    for (const choice of [{ type: "auto" }, { type: "none" }] as const) {
      const text = await client.messages.create(params(choice));
      expect(text).toMatchObject({ stop_reason: "end_turn", content: [{ type: "text", text: expect.stringMatching(/^\[offline\]/) }] });
    }
  });

  it("calls the forced tool again after a tool result (a repair turn), from the task's text", async () => {
    const first = await client.messages.create(params({ type: "tool", name: "echo" }, [echo], "Repeat me\n\nContext (JSON): {}"));
    const call = first.content[0];
    if (call?.type !== "tool_use") throw new Error("no tool_use");
    expect(call.input).toEqual({ text: "Repeat me" });
    const again = await client.messages.create({
      ...params({ type: "tool", name: "echo" }, [echo], "Repeat me"),
      messages: [
        { role: "user", content: "Repeat me" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, is_error: true, content: "try again" }] },
      ],
    });
    expect(again).toMatchObject({ stop_reason: "tool_use", content: [{ type: "tool_use", name: "echo", input: { text: "Repeat me" } }] });
  });

  it("answers a plan-shaped tool with a short plan whose dependencies name earlier steps", async () => {
    const message = await client.messages.stream(params({ type: "tool", name: "submit_plan" }, [submitPlan], "Build a CSV importer")).finalMessage();
    const block = message.content[0];
    if (block?.type !== "tool_use") throw new Error("no tool_use");
    const plan = planArgs.parse(block.input);
    expect(plan.summary).toMatch(/^\[offline\]/);
    expect(plan.steps.map((s) => ({ id: s.id, depends_on: s.depends_on }))).toEqual([
      { id: "understand", depends_on: [] },
      { id: "draft", depends_on: ["understand"] },
      { id: "review", depends_on: ["understand", "draft"] },
    ]);
    expect(plan.steps.every((s) => s.service === "nexus")).toBe(true);
    expect(plan.steps[1]?.goal).toContain("Build a CSV importer");
  });
});
