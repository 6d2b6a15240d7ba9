import { z } from "zod";
import { isText, isTextJson, TEXT_MESSAGE, text, textRecord } from "./common";

/**
 * KayNexus (:8000) wire contracts: agent executions (the seed's `POST /api/v1/agents/execute`),
 * their SSE streams, conversations, plans and stored KayGraph definitions.
 */

export const executionStatus = z.enum(["queued", "running", "succeeded", "failed", "stopped"]);
export type ExecutionStatus = z.infer<typeof executionStatus>;
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ["succeeded", "failed", "stopped"];

// Every input is text PostgreSQL can store (no NUL, no unpaired surrogate: see common.ts `text`),
// path ids and query strings included; a field left out is named and said to be required.
const isMissing: z.core.$ZodErrorMap = (issue) => (issue.input === undefined ? "is required" : undefined);
const requiredText = () => z.string({ error: isMissing }).refine(isText, { message: TEXT_MESSAGE });
/** Any JSON value (objects, strings...) that must be present; its keys and strings are text. */
const requiredJson = () => z.unknown().nonoptional({ error: isMissing }).refine(isTextJson, { message: `keys and strings ${TEXT_MESSAGE}` });
const id = requiredText().min(1).max(200);
const model = text().min(1).max(200);
const maxTokens = z.number().int().min(1).max(128_000);

/**
 * `POST /api/v1/agents/execute`. `prompt` is checked by the service (empty: 400; longer than
 * NEXUS_MAX_PROMPT_CHARS: 413 naming the limit), not here, so the answer can say which. `context`
 * counts against the same limit: the prompt's characters plus the context's as JSON.
 */
export const executeBody = z.object({
  agent_type: requiredText().min(1).max(100),
  prompt: text().optional(),
  context: textRecord().optional(),
  conversation_id: id.optional(),
  model: model.optional(),
  max_tokens: maxTokens.optional(),
  /** `kaygraph`: the stored definition to run (or `context.definition_id`). */
  definition_id: id.optional(),
  /** `kaygraph`: the run's input, available to nodes as `input`. */
  input: textRecord().optional(),
});
export type ExecuteBody = z.infer<typeof executeBody>;

export const executeResponse = z.object({
  id: z.string(),
  status: executionStatus,
  stream_url: z.string(),
  conversation_id: z.string().nullable(),
  /** True when Claude is the local Messages server (ANTHROPIC_BASE_URL on loopback): label replies offline. */
  offline: z.boolean(),
});
export type ExecuteResponse = z.infer<typeof executeResponse>;

export const executionParams = z.object({ id });

export const executionUsage = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_tokens: z.number().int(),
  cache_write_tokens: z.number().int(),
  model_calls: z.number().int(),
  /** Of the priced calls only: see unpriced_models. */
  cost_usd: z.number(),
  unpriced_models: z.array(z.string()).describe("Models of calls the price table has no price for; their cost is not in cost_usd"),
});

export const executionTimings = z.object({
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  ttft_ms: z.number().int().nullable(),
  duration_ms: z.number().int().nullable(),
});

export const waitingFor = z.object({ node_id: z.string(), question: z.unknown() });

/** `GET /api/v1/agents/{id}` (also the answer of stop and answer). */
export const executionView = z.object({
  id: z.string(),
  agent_type: z.string(),
  status: executionStatus,
  conversation_id: z.string().nullable(),
  definition_id: z.string().nullable(),
  model: z.string().nullable(),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
  usage: executionUsage,
  timings: executionTimings,
  /** Set while a graph waits for a human: answer with `POST /api/v1/agents/{id}/answer`. */
  waiting_for: waitingFor.nullable(),
  stream_url: z.string(),
  offline: z.boolean(),
});
export type ExecutionView = z.infer<typeof executionView>;

/** `GET /api/v1/agents/status/{id}`, the seed's short form. */
export const executionStatusView = z.object({
  id: z.string(),
  execution_id: z.string(),
  status: executionStatus,
  error: z.string().nullable(),
  waiting_for: waitingFor.nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

export const answerBody = z.object({ answer: requiredJson() });

/** A person's answer to the question a run waits on, as the control plane and the Command Center take it (text). */
export const answerText = z
  .string({ error: "answer must be text" })
  .trim()
  .min(1, "Write an answer for the agent")
  .max(20_000, "The answer must be at most 20,000 characters");

export const streamQuery = z.object({
  last_event_id: z.coerce.number().int().min(0).optional().describe("resume after this event id (or send Last-Event-ID)"),
});

/**
 * SSE events of an execution (`event:` is the type, `id:` the sequence number, `data:` JSON).
 * `done` is always the last one; `waiting` means a graph waits for an answer.
 */
export const streamEventData = {
  status: z.object({ status: executionStatus }),
  token: z.object({ text: z.string(), node_id: z.string().optional() }),
  plan: z.object({ plan: z.unknown() }),
  graph: z.object({ definition: z.unknown() }),
  step: z.object({
    node_id: z.string(),
    state: z.enum(["started", "finished", "failed", "retrying"]),
    step: z.number().int().optional(),
    action: z.string().optional(),
    duration_ms: z.number().optional(),
    error: z.string().optional(),
  }),
  waiting: z.object({ node_id: z.string(), question: z.unknown() }),
  result: z.object({ result: z.unknown() }),
  error: z.object({ message: z.string() }),
  done: z.object({ status: executionStatus, error: z.string().nullable() }),
} as const;
export type StreamEventType = keyof typeof streamEventData;
export type StreamEventPayload<T extends StreamEventType> = z.infer<(typeof streamEventData)[T]>;

export const agentTypeInfo = z.object({ name: z.string(), description: z.string(), requires_prompt: z.boolean() });
export const agentTypesView = z.object({ agent_types: z.array(agentTypeInfo), node_types: z.array(z.string()) });

// Conversations.
export const conversationCreate = z.object({
  agent_type: text().min(1).max(100).default("claude-conversational"),
  title: text().max(500).optional(),
  system: text().max(100_000).optional(),
});
export const conversationMessageBody = z.object({
  /** The user's message (`prompt` is accepted too, as in execute). */
  content: text().optional(),
  prompt: text().optional(),
  model: model.optional(),
  max_tokens: maxTokens.optional(),
});
export const conversationMessageQuery = z.object({
  stream: z.enum(["true", "false"]).default("true").describe("false: answer {id, status, stream_url} instead of the SSE stream"),
});
export const conversationMessage = z.object({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  execution_id: z.string().nullable(),
  created_at: z.string(),
});
export const conversationView = z.object({
  id: z.string(),
  agent_type: z.string(),
  title: z.string().nullable(),
  system: z.string().nullable(),
  created_at: z.string(),
  messages: z.array(conversationMessage),
});
export type ConversationView = z.infer<typeof conversationView>;
export const conversationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** `next_cursor` of the previous page. */
  cursor: text().max(200).optional(),
});
export const conversationSummary = conversationView.omit({ messages: true }).extend({ message_count: z.number().int() });
export const conversationList = z.object({ conversations: z.array(conversationSummary), next_cursor: z.string().nullable() });
export type ConversationList = z.infer<typeof conversationList>;

// Plans (the `planner` agent's result).
export const planService = z.enum(["nexus", "smith", "human", "tool"]);
export const planStep = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "must be a short lower-case slug"),
  title: z.string().min(1).max(200),
  goal: z.string().min(1).max(4000),
  depends_on: z.array(z.string()).max(50).default([]),
  /** Which service runs the step: nexus (an LLM call), smith (a code task), human (a question), tool. */
  service: planService,
  /** smith: the task; nexus: the instruction; human: the question. Defaults to the goal. */
  instruction: z.string().max(20_000).optional(),
  /** tool steps: a registered tool and its arguments. */
  tool: z.string().max(100).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  /** smith steps: the workspace to code in. */
  workspace: z.string().max(500).optional(),
});
export const plan = z.object({
  summary: z.string().min(1).max(4000),
  steps: z.array(planStep).min(1).max(30),
});
export type Plan = z.infer<typeof plan>;
export type PlanStep = z.infer<typeof planStep>;

// Stored KayGraph definitions. `definition` is checked against the node registry by the service,
// which answers 400 listing every problem.
export const graphCreate = z.object({
  name: requiredText().min(1).max(200),
  description: text().max(4000).optional(),
  definition: requiredJson(),
});
export const graphValidateBody = z.object({ definition: requiredJson() });
export const definitionIssue = z.object({ path: z.string(), message: z.string() });
export const graphValidation = z.object({ valid: z.boolean(), issues: z.array(definitionIssue) });
export const graphView = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  description: z.string().nullable(),
  definition: z.unknown(),
  created_at: z.string(),
});
export type GraphView = z.infer<typeof graphView>;
export const graphList = z.object({ graphs: z.array(graphView.omit({ definition: true })) });
export const graphRunBody = z.object({
  input: textRecord().default({}),
  model: model.optional(),
  max_tokens: maxTokens.optional(),
});

export const nexusHealthDetails = z.object({
  offline: z.boolean(),
  model: z.string(),
  claude_configured: z.boolean(),
  executions_running: z.number().int(),
  observer_reporting: z.boolean(),
});
export type NexusHealthDetails = z.infer<typeof nexusHealthDetails>;
