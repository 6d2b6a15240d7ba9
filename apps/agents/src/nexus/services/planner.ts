// Asks Claude for a plan through a forced `submit_plan` tool call and checks it. Output that does
// not pass is sent back with its problems for a bounded number of repairs; it is never passed on.
import type { ContentBlock, ContentBlockParam, MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import { plan as planSchema, type Plan } from "@kayos/contracts";
import { z } from "zod";
import type { RunContext } from "../agent-types/types";
import { TOOL_NAMES } from "../graph/tools";
import { checkPlan } from "./plan-check";
import { splitContext } from "./run-context";

const TOOL_NAME = "submit_plan";

const SYSTEM = `You are the planner of KayOS. Break the user's task into a small number of concrete steps and submit them with the ${TOOL_NAME} tool.
Each step has an id (lower-case slug), a title, a goal, depends_on (ids of earlier steps) and the service that runs it:
- "nexus": an LLM call (put the instruction in "instruction"),
- "smith": a coding task run by a coding agent in a workspace ("instruction" is the task, "workspace" a folder name),
- "human": a question a person must answer ("instruction" is the question),
- "tool": one of these tools: ${TOOL_NAMES.join(", ")} (set "tool" and "args").`;

const planTool: Tool = {
  name: TOOL_NAME,
  description: "Submit the plan",
  input_schema: z.toJSONSchema(planSchema, { io: "input" }) as Tool["input_schema"],
};

export class PlanRejected extends Error {}

export async function makePlan(ctx: RunContext): Promise<Plan> {
  const repairs = ctx.deps.config.NEXUS_PLANNER_REPAIRS;
  const { instructions, data } = splitContext(ctx.input.context);
  const system = instructions ? `${SYSTEM}\n\nThe agent's own planning instructions:\n${instructions}` : SYSTEM;
  const messages: MessageParam[] = [{ role: "user", content: data ? `${ctx.input.prompt}\n\n${data}` : ctx.input.prompt }];
  let issues: string[] = [];
  for (let attempt = 0; attempt <= repairs; attempt++) {
    const message = await ctx.claude({
      model: ctx.input.model,
      maxTokens: ctx.input.max_tokens,
      system,
      messages,
      tools: [planTool],
      toolChoice: { type: "tool", name: TOOL_NAME },
    });
    const call = message.content.find((b) => b.type === "tool_use" && b.name === TOOL_NAME);
    const candidate = call && call.type === "tool_use" ? call.input : jsonIn(textOf(message.content));
    // No tool call and no JSON plan in the text: say so, rather than "(plan): expected object, received undefined".
    const checked = candidate === undefined ? undefined : checkPlan(candidate);
    if (checked?.ok) return checked.plan;
    issues = checked ? checked.issues : [`the model answered without calling ${TOOL_NAME}`];
    ctx.emit("step", { node_id: "planner", state: "retrying", error: `invalid plan: ${issues.join("; ")}` });
    const feedback = checked
      ? `The plan is invalid: ${issues.join("; ")}. Call ${TOOL_NAME} again with a corrected plan.`
      : `You answered without calling ${TOOL_NAME}. Call ${TOOL_NAME} with the plan.`;
    messages.push({ role: "assistant", content: message.content.map(toParam) });
    messages.push({
      role: "user",
      content: call && call.type === "tool_use" ? [{ type: "tool_result", tool_use_id: call.id, is_error: true, content: feedback }] : feedback,
    });
  }
  throw new PlanRejected(`The model's plan was still invalid after ${repairs + 1} attempts: ${issues.join("; ")}`);
}

function textOf(content: ContentBlock[]) {
  return content.map((b) => (b.type === "text" ? b.text : "")).join("");
}

/** The first JSON object in a text reply (parsed as data, never evaluated). */
function jsonIn(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start === -1 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

function toParam(block: ContentBlock): ContentBlockParam {
  if (block.type === "tool_use") return { type: "tool_use", id: block.id, name: block.name, input: block.input };
  if (block.type === "text") return { type: "text", text: block.text };
  return { type: "text", text: "" };
}
