import { z } from "zod";

// The request side of the Messages API, validated the way the real API does: required fields,
// types and ranges, with content blocks of known types checked in detail and unknown block types
// (newer server tools, beta blocks Claude Code sends) let through, as the API's newer versions would.

const cacheControl = z
  .object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() })
  .nullable()
  .optional();

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const imageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.enum(["base64", "url", "file"]) }),
});
const toolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/, { error: "String should match pattern '^[a-zA-Z0-9_-]+$'" }),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown(), { error: "Input should be a valid dictionary" }),
});
const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))], {
    error: "Input should be a valid string or list of content blocks",
  }).optional(),
  is_error: z.boolean().optional(),
});
const thinkingBlock = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });

const knownBlocks: Record<string, z.ZodType> = {
  text: textBlock,
  image: imageBlock,
  tool_use: toolUseBlock,
  tool_result: toolResultBlock,
  thinking: thinkingBlock,
  redacted_thinking: redactedThinkingBlock,
};

export const contentBlockParamSchema = z
  .looseObject({ type: z.string({ error: "Field required" }) })
  .superRefine((block, ctx) => {
    const schema = knownBlocks[block.type];
    const result = schema?.safeParse(block);
    for (const issue of result?.error?.issues ?? []) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
  });
export type ContentBlockParam = z.infer<typeof contentBlockParamSchema>;

const content = z.union([z.string(), z.array(contentBlockParamSchema)], {
  error: "Input should be a valid string or list of content blocks",
});

export const messageParamSchema = z.object({
  role: z.enum(["user", "assistant", "system"], { error: "Input should be 'user', 'assistant' or 'system'" }),
  content,
});
export type MessageParam = z.infer<typeof messageParamSchema>;

const customTool = z.looseObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, { error: "String should match pattern '^[a-zA-Z0-9_-]{1,128}$'" }),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal("object") }),
});
// Server and client-defined tools with a versioned `type` (bash_20250124, web_search_…) have their own shapes.
export const toolSchema = z.looseObject({ type: z.string().optional(), name: z.string() }).superRefine((tool, ctx) => {
  if (tool.type !== undefined && tool.type !== "custom") return;
  for (const issue of customTool.safeParse(tool).error?.issues ?? []) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  }
});

export const toolChoiceSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal("none") }),
  ],
  { error: "Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'" },
);

export const thinkingSchema = z.looseObject({ type: z.string() }).superRefine((thinking, ctx) => {
  if (thinking.type !== "enabled") return;
  const budget = z.number().int().min(1024, { error: "Input should be greater than or equal to 1024" });
  for (const issue of budget.safeParse(thinking.budget_tokens).error?.issues ?? []) {
    ctx.addIssue({ code: "custom", message: issue.message, path: ["enabled", "budget_tokens"] });
  }
});

const systemSchema = z.union([z.string(), z.array(textBlock)], {
  error: "Input should be a valid string or list of text blocks",
});

const requestFields = {
  model: z.string({ error: "Field required" }).min(1, { error: "String should have at least 1 character" }),
  messages: z.array(messageParamSchema, { error: "Field required" }),
  system: systemSchema.optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
};

export const messagesRequestSchema = z.looseObject({
  ...requestFields,
  max_tokens: z
    .number({ error: "Field required" })
    .int({ error: "Input should be a valid integer" })
    .min(1, { error: "Input should be greater than or equal to 1" }),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export const countTokensRequestSchema = z.looseObject(requestFields);
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

// Top-level fields the stable endpoint knows; anything else is rejected there as the API does.
// Beta requests (`?beta=true`, Claude Code) carry many more fields and are not held to this list.
export const stableRequestFields = new Set([
  "model", "messages", "max_tokens", "system", "tools", "tool_choice", "thinking", "metadata", "stream",
  "temperature", "top_p", "top_k", "stop_sequences", "cache_control", "container", "diagnostics",
  "inference_geo", "output_config", "service_tier", "speed", "user_profile_id", "workspace_id",
  "context_management", "mcp_servers",
]);

/** `messages.0.content: Field required` — the API's `path: message` style. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      const message = /received undefined$/.test(issue.message) ? "Field required" : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join("; ");
}
