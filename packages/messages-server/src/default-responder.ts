import { lastToolResults, lastUserText, textOfContent, type MessagesCall } from "./recorded-request";
import { type Reply, reply } from "./replies";
import { type MessagesRequest } from "./request-schema";
import { type JsonSchema } from "./schema-sample";
import { offlineToolInput } from "./tool-input";

/** Answers a request nobody scripted. */
export type Responder = (call: MessagesCall) => Reply;

// Claude Code wraps context in <system-reminder> blocks; the person's words are what is left.
function spokenText(text: string): string {
  return text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "").replace(/\s+/g, " ").trim();
}

function quote(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * What the person asked, for filling a forced tool's input: the latest user turn with text (a turn
 * of only tool results, e.g. a repair request, falls back to the one before), first paragraph only
 * (so appended context such as "Context (JSON): …" stays out), shortened.
 */
function taskText(body: MessagesRequest): string {
  for (const message of body.messages.toReversed()) {
    if (message.role !== "user") continue;
    const paragraph = spokenText(textOfContent(message.content).split(/\n\s*\n/).find((p) => spokenText(p) !== "") ?? "");
    if (paragraph) return quote(paragraph, 120);
  }
  return "";
}

type Tool = NonNullable<MessagesRequest["tools"]>[number];

/**
 * The tool the request obliges the model to call, as the API does: `{type: "tool", name}` that
 * tool, `{type: "any"}` some tool (the first custom one here); undefined for `auto`, `none` or
 * no choice, when the model may answer in text.
 */
export function forcedTool(body: MessagesRequest): Tool | undefined {
  const choice = body.tool_choice;
  const tools = body.tools ?? [];
  if (choice?.type === "tool") return tools.find((tool) => tool.name === choice.name);
  if (choice?.type === "any") return tools.find((tool) => tool.input_schema !== undefined) ?? tools[0];
  return undefined;
}

/**
 * The offline answer: deterministic, plainly labelled "[offline]" so a person running the platform
 * without an API key never mistakes it for Claude, and echoing the last user message so the
 * conversation visibly went through. A request that forces a tool gets a call to it, as from the
 * real API (`stop_reason: "tool_use"`), with an input valid against the tool's schema.
 */
export const offlineResponder: Responder = (call) => {
  const tool = forcedTool(call.body);
  if (tool) {
    const schema = (tool.input_schema ?? { type: "object" }) as JsonSchema;
    return reply.toolUse(tool.name, offlineToolInput(schema, taskText(call.body)));
  }
  const results = lastToolResults(call.body);
  if (results.length > 0) {
    const names = [...new Set(results.map((result) => result.toolName ?? "unknown tool"))].join(", ");
    return reply.text(`[offline] Received ${results.length} tool result(s) from ${names}. This is the local Messages API server, not Claude; nothing more to do.`);
  }
  const said = spokenText(lastUserText(call.body));
  const echo = said ? ` You said: "${quote(said)}"` : "";
  return reply.text(`[offline] This reply comes from the local Messages API server (no ANTHROPIC_API_KEY is set), not from Claude.${echo}`);
};
