// The node types Nexus graphs are built from: an LLM call, a tool call, a code task for Smith and
// a question to a human. A definition can use nothing else; model output is data, never code.
import { NodeRegistry } from "@kayos/kaygraph";
import { z } from "zod";
import type { RunContext } from "../agent-types/types";
import { HumanInputNode, LlmCallNode, SmithTaskNode, ToolCallNode } from "./nodes";
import { TOOL_NAMES, TOOLS, type ToolName } from "./tools";

export const llmCallConfig = z.object({
  prompt: z.string().min(1).max(100_000),
  system: z.string().max(100_000).optional(),
  model: z.string().min(1).max(200).optional(),
  max_tokens: z.number().int().min(1).max(128_000).optional(),
});
export const toolCallConfig = z
  .object({ tool: z.enum(TOOL_NAMES as [ToolName, ...ToolName[]]), args: z.record(z.string(), z.unknown()).default({}) })
  .superRefine((c, ctx) => {
    const parsed = TOOLS[c.tool].args.safeParse(c.args);
    if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["args", ...i.path.map(String)], message: i.message });
  });
export const smithTaskConfig = z.object({
  prompt: z.string().min(1).max(100_000),
  workspace: z.string().min(1).max(500),
  agent_type: z.string().min(1).max(64).default("claude_code"),
});
export const humanInputConfig = z.object({ question: z.string().min(1).max(20_000) });

export const NODE_TYPES = ["llm.call", "tool.call", "smith.task", "human.input"] as const;
export const nodeTypeNames = () => [...NODE_TYPES];

/** A registry whose nodes act for `run`; without one (validation only) they refuse to run. */
export function createRegistry(run?: RunContext): NodeRegistry {
  return new NodeRegistry()
    .register("llm.call", { description: "Ask Claude; the reply is results[id]", config: llmCallConfig, create: (c, o) => new LlmCallNode(c, run, o) })
    .register("tool.call", { description: "Run a registered tool", config: toolCallConfig, create: (c, o) => new ToolCallNode(c, run, o) })
    .register("smith.task", { description: "Dispatch a code task to KaySmith", config: smithTaskConfig, create: (c, o) => new SmithTaskNode(c, run, o) })
    .register("human.input", { description: "Wait for a human's answer", config: humanInputConfig, create: (c, o) => new HumanInputNode(c, run, o) });
}
