import type Anthropic from "@anthropic-ai/sdk";
import { newMessageId, newSignature, newToolUseId } from "./ids";
import { type MessagesCall } from "./recorded-request";
import { type BlockSpec, type Reply } from "./replies";
import { approxTokens, countInputTokens } from "./tokens";

type MessageReply = Extract<Reply, { kind: "message" }>;

function toContentBlock(spec: BlockSpec): Anthropic.ContentBlock {
  switch (spec.type) {
    case "text":
      return { type: "text", text: spec.text, citations: null };
    case "tool_use":
      return { type: "tool_use", id: spec.id ?? newToolUseId(), name: spec.name, input: spec.input, caller: { type: "direct" } };
    case "thinking":
      return { type: "thinking", thinking: spec.thinking, signature: spec.signature ?? newSignature() };
  }
}

function outputText(block: Anthropic.ContentBlock): string {
  if (block.type === "text") return block.text;
  if (block.type === "thinking") return block.thinking;
  if (block.type === "tool_use") return JSON.stringify(block.input);
  return "";
}

interface Stop {
  content: Anthropic.ContentBlock[];
  stopReason: Anthropic.StopReason | null;
  stopSequence: string | null;
}

// A plain text answer obeys the request as the model would: it ends at the first stop sequence,
// or is cut off at `max_tokens` (approximate tokens).
function applyLimits(content: Anthropic.ContentBlock[], call: MessagesCall): Stop {
  const only = content[0];
  if (content.length !== 1 || only?.type !== "text") return { content, stopReason: null, stopSequence: null };
  const hits = (call.body.stop_sequences ?? [])
    .map((sequence) => ({ sequence, at: only.text.indexOf(sequence) }))
    .filter((hit) => hit.at >= 0)
    .sort((a, b) => a.at - b.at);
  const first = hits[0];
  if (first) return { content: [{ ...only, text: only.text.slice(0, first.at) }], stopReason: "stop_sequence", stopSequence: first.sequence };
  const maxChars = call.body.max_tokens * 4;
  if (only.text.length > maxChars) return { content: [{ ...only, text: only.text.slice(0, maxChars) }], stopReason: "max_tokens", stopSequence: null };
  return { content, stopReason: null, stopSequence: null };
}

/** The complete `message` a reply stands for; streaming sends the same message as events. */
export function renderMessage(spec: MessageReply, call: MessagesCall): Anthropic.Message {
  const limited = applyLimits(spec.blocks.map(toContentBlock), call);
  const content = limited.content;
  const stopReason = spec.stopReason ?? limited.stopReason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
  const usage = spec.usage ?? {};
  const cacheCreation = usage.cacheCreationInputTokens ?? 0;
  const cacheCreation1h = Math.min(usage.cacheCreation1hInputTokens ?? 0, cacheCreation);
  return {
    id: newMessageId(),
    type: "message",
    role: "assistant",
    model: call.body.model,
    content,
    stop_reason: stopReason,
    stop_sequence: limited.stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: usage.inputTokens ?? countInputTokens(call.body),
      output_tokens: usage.outputTokens ?? approxTokens(content.map(outputText).join("")),
      cache_creation_input_tokens: cacheCreation,
      cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
      cache_creation: { ephemeral_5m_input_tokens: cacheCreation - cacheCreation1h, ephemeral_1h_input_tokens: cacheCreation1h },
      service_tier: "standard",
      inference_geo: null,
      server_tool_use: null,
      output_tokens_details: null,
      speed: null,
    },
  };
}
