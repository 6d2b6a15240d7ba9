// What an agent type is: one file under agent-types/ exporting an AgentType, listed in index.ts.
import type { ExecuteBody, StreamEventPayload, StreamEventType } from "@kayos/contracts";
import type { Prisma } from "@kayos/db/agents";
import type { Message } from "@anthropic-ai/sdk/resources/messages";
import type { NexusDeps } from "../services/deps";
import type { ClaudeRequest } from "../services/claude";

/** The execution's input as stored (`executions.input`). */
export interface ExecutionInput {
  prompt: string;
  context: Record<string, unknown>;
  model: string;
  max_tokens: number;
  input: Record<string, unknown>;
}

export interface RunContext {
  executionId: string;
  organizationId: string;
  conversationId: string | null;
  /** The conversation was created for this execution (its history is just this prompt). */
  newConversation: boolean;
  definitionId: string | null;
  input: ExecutionInput;
  signal: AbortSignal;
  /** True when this run continues one started earlier (after a restart, or with a human's answer). */
  resumed: boolean;
  /** The human's answer, when resumed by POST /api/v1/agents/{id}/answer. */
  answer?: { value: unknown };
  emit<T extends StreamEventType>(type: T, data: StreamEventPayload<T>): void;
  /** One model call through the SDK; usage is counted on the execution and reported to Observer. */
  claude(req: Omit<ClaudeRequest, "signal" | "onUsage">): Promise<Message>;
  /** Resolves once the execution's (and a new conversation's) row exists. */
  ready: Promise<void>;
  /** Records fields on the execution row (e.g. the graph being run). */
  record(data: Prisma.ExecutionUpdateInput): Promise<void>;
  deps: NexusDeps;
}

/** Returned by run() when the execution now waits for a human answer (it stays `running`). */
export const WAITING = Symbol("waiting");

export interface Prepared {
  definitionId?: string;
}

export interface AgentType {
  name: string;
  description: string;
  requiresPrompt: boolean;
  /** Checks what the request refers to before anything is written (throws HttpError 4xx). */
  prepare?(organizationId: string, body: ExecuteBody, deps: NexusDeps): Promise<Prepared>;
  run(ctx: RunContext): Promise<Prisma.InputJsonValue | typeof WAITING>;
  /** Runs that survive a restart: resumed from their checkpoints instead of failed. */
  durable?: boolean;
}
