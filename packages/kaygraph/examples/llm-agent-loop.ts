// An LLM agent loop (think -> act -> observe -> think ... -> answer) against a provider
// interface. ScriptedProvider replays fixed replies, so the example and its test need no network.
// Run: npx tsx examples/llm-agent-loop.ts
import { pathToFileURL } from "node:url";
import { Graph, Node, type ExecContext } from "../src/index.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

export type LlmReply = { type: "tool"; tool: string; input: string; thought?: string } | { type: "answer"; text: string };

export interface ToolSpec {
  name: string;
  description: string;
}

/** What any model client (Anthropic, OpenAI, a local server) must offer the loop. */
export interface LlmProvider {
  complete(messages: readonly ChatMessage[], tools: readonly ToolSpec[], signal: AbortSignal): Promise<LlmReply>;
}

export interface Tool extends ToolSpec {
  run(input: string): string | Promise<string>;
}

/** Replays scripted replies in order and records what it was asked. */
export class ScriptedProvider implements LlmProvider {
  readonly requests: ChatMessage[][] = [];
  private next = 0;
  constructor(private readonly replies: readonly LlmReply[]) {}
  async complete(messages: readonly ChatMessage[]): Promise<LlmReply> {
    this.requests.push([...messages]);
    const reply = this.replies[Math.min(this.next++, this.replies.length - 1)];
    if (reply === undefined) throw new Error("ScriptedProvider has no replies");
    return reply;
  }
}

export interface AgentShared {
  messages: ChatMessage[];
  pending?: { tool: string; input: string };
  observation?: string;
  answer?: string;
}

class Think extends Node<AgentShared, readonly ChatMessage[], LlmReply, "act" | "answer"> {
  constructor(
    private readonly provider: LlmProvider,
    private readonly tools: readonly ToolSpec[],
  ) {
    super({ id: "think", maxRetries: 3, waitMs: 100, backoff: { factor: 2, jitter: 0.3 }, timeoutMs: 60_000 });
  }
  override prep(shared: AgentShared): readonly ChatMessage[] {
    return shared.messages;
  }
  override exec(messages: readonly ChatMessage[], ctx: ExecContext): Promise<LlmReply> {
    return this.provider.complete(messages, this.tools, ctx.signal);
  }
  override post(shared: AgentShared, _m: unknown, reply: LlmReply): "act" | "answer" {
    if (reply.type === "answer") {
      shared.messages.push({ role: "assistant", content: reply.text });
      shared.answer = reply.text;
      return "answer";
    }
    shared.messages.push({ role: "assistant", content: `${reply.thought ?? ""} -> ${reply.tool}(${reply.input})`.trim() });
    shared.pending = { tool: reply.tool, input: reply.input };
    return "act";
  }
}

class Act extends Node<AgentShared, { tool: string; input: string } | undefined, string> {
  constructor(private readonly tools: ReadonlyMap<string, Tool>) {
    super({ id: "act", maxRetries: 2 });
  }
  override prep(shared: AgentShared): { tool: string; input: string } | undefined {
    return shared.pending;
  }
  override async exec(call: { tool: string; input: string } | undefined): Promise<string> {
    const tool = call && this.tools.get(call.tool);
    if (tool === undefined || call === undefined) return `error: unknown tool "${call?.tool}"`;
    return await tool.run(call.input);
  }
  /** A failing tool becomes an observation the model can react to, not a crash of the loop. */
  override execFallback(_call: unknown, error: unknown): string {
    return `error: ${error instanceof Error ? error.message : String(error)}`;
  }
  override post(shared: AgentShared, _c: unknown, result: string): void {
    shared.observation = result;
    delete shared.pending;
  }
}

class Observe extends Node<AgentShared, unknown, unknown, "think"> {
  override post(shared: AgentShared): "think" {
    shared.messages.push({ role: "tool", content: shared.observation ?? "" });
    delete shared.observation;
    return "think";
  }
}

export function createAgentGraph(provider: LlmProvider, tools: readonly Tool[], maxSteps = 30): Graph<AgentShared, "answer"> {
  const think = new Think(
    provider,
    tools.map(({ name, description }) => ({ name, description })),
  );
  const act = new Act(new Map(tools.map((tool) => [tool.name, tool])));
  think.on("act", act);
  act.next(new Observe({ id: "observe" })).on("think", think);
  return new Graph<AgentShared, "answer">(think, { id: "agent", maxSteps });
}

export const calculator: Tool = {
  name: "calculator",
  description: "Adds integers written as a+b+c",
  run: (input) => {
    if (!/^\d+(\+\d+)*$/.test(input)) throw new Error(`cannot compute "${input}"`);
    return String(input.split("+").reduce((sum, n) => sum + Number(n), 0));
  },
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const provider = new ScriptedProvider([
    { type: "tool", tool: "calculator", input: "19+23", thought: "I should add the numbers" },
    { type: "answer", text: "19 + 23 = 42" },
  ]);
  const shared: AgentShared = { messages: [{ role: "user", content: "What is 19 + 23?" }] };
  await createAgentGraph(provider, [calculator]).run(shared, { onEvent: (e) => e.type === "transition" && console.log(`${e.from} -[${e.action}]-> ${e.to}`) });
  console.log(shared.answer);
}
