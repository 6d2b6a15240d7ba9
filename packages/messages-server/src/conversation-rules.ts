import { type CountTokensRequest, type MessageParam, type MessagesRequest, stableRequestFields } from "./request-schema";

// Rules the real API enforces beyond field shapes. Each returns the API's message for the first
// violation, or undefined. They catch client bugs (a lost tool_result, a stray field) in tests.

type Blocks = Exclude<MessageParam["content"], string>;

function blocksOf(message: MessageParam): Blocks {
  return typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
}

function idsOf(blocks: Blocks, type: "tool_use" | "tool_result"): string[] {
  const key = type === "tool_use" ? "id" : "tool_use_id";
  return blocks.filter((block) => block.type === type).map((block) => String(block[key]));
}

interface Turn {
  role: MessageParam["role"];
  index: number;
  blocks: Blocks;
  empty: boolean;
}

// The API joins consecutive turns of one role; Claude Code interleaves `system` role messages,
// which ordering and tool pairing rules skip.
function turnsOf(messages: MessageParam[]): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    if (message.role === "system") return;
    const blocks = blocksOf(message);
    const last = turns.at(-1);
    if (last?.role === message.role) last.blocks = [...last.blocks, ...blocks];
    else turns.push({ role: message.role, index, blocks, empty: false });
    const turn = turns.at(-1);
    if (turn && blocks.length === 0) turn.empty = true;
  });
  return turns;
}

function conversationProblem(messages: MessageParam[]): string | undefined {
  if (messages.length === 0) return "messages: at least one message is required";
  if (messages.some((m) => typeof m.content !== "string" && m.content.some((b) => b.type === "text" && b.text === ""))) {
    return "messages: text content blocks must be non-empty";
  }
  const turns = turnsOf(messages);
  if (turns[0] && turns[0].role !== "user") return 'messages: first message must use the "user" role';
  for (const [position, turn] of turns.entries()) {
    const isFinalAssistant = position === turns.length - 1 && turn.role === "assistant";
    if (turn.empty && !isFinalAssistant) {
      return `messages.${turn.index}: all messages must have non-empty content except for the optional final assistant message`;
    }
    const previous = turns[position - 1];
    const expected = previous?.role === "assistant" ? idsOf(previous.blocks, "tool_use") : [];
    const unexpected = idsOf(turn.blocks, "tool_result").filter((id) => !expected.includes(id));
    if (unexpected.length > 0) {
      return `messages.${turn.index}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(", ")}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
    const next = turns[position + 1];
    if (turn.role === "assistant" && next) {
      const answered = idsOf(next.blocks, "tool_result");
      const missing = idsOf(turn.blocks, "tool_use").filter((id) => !answered.includes(id));
      if (missing.length > 0) {
        return `messages.${next.index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
  }
  return undefined;
}

function toolsProblem(request: CountTokensRequest): string | undefined {
  const names = (request.tools ?? []).map((tool) => tool.name);
  if (new Set(names).size !== names.length) return "tools: Tool names must be unique.";
  const choice = request.tool_choice;
  if (choice?.type === "tool" && !names.includes(choice.name)) {
    return `tool_choice.name: tool '${choice.name}' is not one of the provided tools`;
  }
  return undefined;
}

function extraFieldProblem(body: Record<string, unknown>): string | undefined {
  const extra = Object.keys(body).find((key) => !stableRequestFields.has(key));
  return extra === undefined ? undefined : `${extra}: Extra inputs are not permitted`;
}

export function countTokensProblem(request: CountTokensRequest): string | undefined {
  return conversationProblem(request.messages) ?? toolsProblem(request);
}

export function messagesProblem(request: MessagesRequest, beta: boolean): string | undefined {
  const thinking = request.thinking;
  const budget = thinking?.type === "enabled" ? Number(thinking.budget_tokens) : undefined;
  const forced = request.tool_choice?.type === "any" || request.tool_choice?.type === "tool";
  return (
    (beta ? undefined : extraFieldProblem(request)) ??
    conversationProblem(request.messages) ??
    toolsProblem(request) ??
    (thinking && thinking.type !== "disabled" && forced ? "Thinking may not be enabled when tool_choice forces tool use." : undefined) ??
    (budget !== undefined && request.max_tokens <= budget
      ? "max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`"
      : undefined) ??
    ((request.stop_sequences ?? []).some((s) => s.trim() === "")
      ? "stop_sequences: each stop sequence must contain non-whitespace"
      : undefined)
  );
}
