import type Anthropic from "@anthropic-ai/sdk";

// A small catalogue for `GET /v1/models`; requests may still name any model.
// Release dates are not ours to know: the API's convention for "unknown" is the epoch.
function model(id: string, displayName: string, line: Anthropic.ModelLine): Anthropic.ModelInfo {
  return {
    type: "model",
    id,
    display_name: displayName,
    created_at: "1970-01-01T00:00:00Z",
    capabilities: null,
    deprecated_at: null,
    lifecycle: "active",
    line,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    retires_at: null,
  };
}

// Newest first, as the API lists them: the Claude 5 generation (Claude Code's default is claude-opus-5-5),
// then the 4.x models the agent services default to.
export const models: Anthropic.ModelInfo[] = [
  model("claude-opus-5-5", "Claude Opus 5.5", "opus"),
  model("claude-sonnet-5-5", "Claude Sonnet 5.5", "sonnet"),
  model("claude-haiku-5-5", "Claude Haiku 5.5", "haiku"),
  model("claude-opus-4-6", "Claude Opus 4.6", "opus"),
  model("claude-sonnet-4-6", "Claude Sonnet 4.6", "sonnet"),
  model("claude-haiku-4-5", "Claude Haiku 4.5", "haiku"),
];

export function modelPage(list: Anthropic.ModelInfo[]) {
  return { data: list, has_more: false, first_id: list[0]?.id ?? null, last_id: list.at(-1)?.id ?? null };
}
